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

# pkg-config wants absolute paths; GNUInstallDirs may give relative ones.
foreach(d LIBDIR INCLUDEDIR)
  if(IS_ABSOLUTE "${CMAKE_INSTALL_${d}}")
    set(AF_PC_${d} "${CMAKE_INSTALL_${d}}")
  else()
    set(AF_PC_${d} "\${prefix}/${CMAKE_INSTALL_${d}}")
  endif()
endforeach()
configure_file(cmake/actfast.pc.in ${PROJECT_BINARY_DIR}/actfast.pc @ONLY)
install(FILES ${PROJECT_BINARY_DIR}/actfast.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)
