# socemu-deps.m4 — dependency checks that name the Debian package to install.

# SOC_REQUIRE_PROG(VARIABLE, PROGRAM, DEBIAN-PACKAGE)
AC_DEFUN([SOC_REQUIRE_PROG], [
  AC_PATH_PROG([$1], [$2], [])
  AS_IF([test -z "$$1"],
    [AC_MSG_ERROR([$2 not found; on Debian: apt-get install $3 (or run tools/bootstrap)])])
])

# SOC_REQUIRE_PKG(PREFIX, PKG-CONFIG-MODULES, DEBIAN-PACKAGE)
AC_DEFUN([SOC_REQUIRE_PKG], [
  PKG_CHECK_MODULES([$1], [$2], [],
    [AC_MSG_ERROR([$2 not found ($$1_PKG_ERRORS); on Debian: apt-get install $3 (or run tools/bootstrap)])])
])

# SOC_CHECK_LIBFDT — Debian's libfdt-dev ships no pkg-config file, so try pkg-config first
# and fall back to the header and the library; both must offer fdt_check_full and overlays.
AC_DEFUN([SOC_CHECK_LIBFDT], [
  PKG_CHECK_MODULES([FDT], [libfdt >= 1.6], [], [
    AC_CHECK_HEADER([libfdt.h], [],
      [AC_MSG_ERROR([libfdt.h not found; on Debian: apt-get install libfdt-dev (or run tools/bootstrap)])])
    AC_CHECK_LIB([fdt], [fdt_check_full], [FDT_LIBS="-lfdt"],
      [AC_MSG_ERROR([libfdt with fdt_check_full not found (need dtc >= 1.6); on Debian: apt-get install libfdt-dev])])
    FDT_CFLAGS=""
  ])
  soc_save_LIBS=$LIBS
  LIBS="$FDT_LIBS $LIBS"
  AC_CHECK_FUNC([fdt_overlay_apply], [],
    [AC_MSG_ERROR([libfdt lacks fdt_overlay_apply; on Debian: apt-get install libfdt-dev])])
  LIBS=$soc_save_LIBS
  AC_SUBST([FDT_CFLAGS])
  AC_SUBST([FDT_LIBS])
])
