# install(): libraries, header, CMake package files and pkg-config file.
include(CMakePackageConfigHelpers)

install(TARGETS ${AF_TARGETS} EXPORT actfastTargets
  RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
  LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
  ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
  INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(FILES include/actfast.h DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

set(AF_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/actfast)
install(EXPORT actfastTargets NAMESPACE actfast:: DESTINATION ${AF_CMAKE_DIR})
configure_package_config_file(cmake/actfastConfig.cmake.in
  ${PROJECT_BINARY_DIR}/actfastConfig.cmake INSTALL_DESTINATION ${AF_CMAKE_DIR})
write_basic_package_version_file(${PROJECT_BINARY_DIR}/actfastConfigVersion.cmake
  COMPATIBILITY SameMajorVersion)
install(FILES ${PROJECT_BINARY_DIR}/actfastConfig.cmake ${PROJECT_BINARY_DIR}/actfastConfigVersion.cmake
  DESTINATION ${AF_CMAKE_DIR})

# The .pc file finds its prefix from where it lies (pkg-config's ${pcfiledir}),
# so `cmake --install --prefix` anywhere gives a working file.
if(IS_ABSOLUTE "${CMAKE_INSTALL_LIBDIR}")
  set(AF_PC_PREFIX "${CMAKE_INSTALL_PREFIX}")
else()
  file(RELATIVE_PATH _af_up "/root/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/root")
  string(REGEX REPLACE "/$" "" _af_up "${_af_up}")
  set(AF_PC_PREFIX "\${pcfiledir}/${_af_up}")
endif()
foreach(d LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${d}}")
    set(AF_PC_${d} "${CMAKE_INSTALL_${d}}")
  else()
    set(AF_PC_${d} "\${prefix}/${CMAKE_INSTALL_${d}}")
  endif()
endforeach()
configure_file(cmake/actfast.pc.in ${PROJECT_BINARY_DIR}/actfast.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/actfast.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
