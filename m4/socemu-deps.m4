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

# SOC_CHECK_CAPSTONE — capstone is loaded with dlopen when something is first disassembled
# (cpus/arm/disas.c), so that runs which never disassemble do not pay for mapping it. Needs
# the header, and the soname the dynamic loader knows the library by (SOC_CAPSTONE_SONAME),
# read from a program linked against it. CAPSTONE_LIBS becomes what dlopen needs, if anything.
AC_DEFUN([SOC_CHECK_CAPSTONE], [
  AC_REQUIRE([AC_PROG_SED])
  SOC_REQUIRE_PKG([CAPSTONE], [capstone >= 4.0], [libcapstone-dev])
  AC_CHECK_TOOL([OBJDUMP], [objdump], [])
  soc_save_CPPFLAGS=$CPPFLAGS
  soc_save_LIBS=$LIBS
  CPPFLAGS="$CPPFLAGS $CAPSTONE_CFLAGS"
  AC_CHECK_HEADER([capstone/capstone.h], [],
    [AC_MSG_ERROR([capstone/capstone.h not found; on Debian: apt-get install libcapstone-dev (or run tools/bootstrap)])])
  AC_CACHE_CHECK([for the soname of the capstone library], [soc_cv_capstone_soname], [
    soc_cv_capstone_soname=
    LIBS="$CAPSTONE_LIBS $soc_save_LIBS"
    AC_LINK_IFELSE([AC_LANG_PROGRAM([[#include <capstone/capstone.h>]],
                                    [[int ma, mi; return cs_version(&ma, &mi) == 0;]])],
      [AS_IF([test -n "$OBJDUMP"],
        [soc_cv_capstone_soname=`$OBJDUMP -p conftest$EXEEXT 2>/dev/null |
           $SED -n 's/^ *NEEDED *\(libcapstone[[^ ]]*\) *$/\1/p' | $SED 1q`])])
  ])
  AS_IF([test -z "$soc_cv_capstone_soname"],
    [AC_MSG_ERROR([cannot find the soname of capstone (linking a test program with $CAPSTONE_LIBS failed, or objdump is missing); on Debian: apt-get install libcapstone-dev binutils])])
  AC_DEFINE_UNQUOTED([SOC_CAPSTONE_SONAME], ["$soc_cv_capstone_soname"],
    [capstone's shared library, loaded on first use])
  LIBS=$soc_save_LIBS
  AC_SEARCH_LIBS([dlopen], [dl], [], [AC_MSG_ERROR([dlopen not found])])
  AS_IF([test "x$ac_cv_search_dlopen" = "xnone required"],
    [CAPSTONE_LIBS=""], [CAPSTONE_LIBS="$ac_cv_search_dlopen"])
  CPPFLAGS=$soc_save_CPPFLAGS
  LIBS=$soc_save_LIBS
])
