# Debian package of the wharf binary. `cpack -G DEB` in the build directory.
set(CPACK_PACKAGE_NAME wharf)
set(CPACK_PACKAGE_CONTACT "wharf developers <dev@wharf.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Warehouse-floor terminal for e-commerce fulfilment")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS "postgresql-15")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
include(CPack)
