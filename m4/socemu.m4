# socemu.m4 — find socemu from a firmware project's configure.ac.              -*- Autoconf -*-
#
# SOCEMU_PROG([MIN-VERSION], [ACTION-IF-FOUND], [ACTION-IF-NOT-FOUND])
#
# Looks for socemu on PATH (or takes the SOCEMU variable the user set), checks its version
# against MIN-VERSION when given, and substitutes:
#   SOCEMU            the program
#   SOCEMU_DTSDIR     the shipped boards and SoC include files (from socemu.pc, if pkg-config
#                     knows socemu; else $prefix/share/socemu/dts beside the program)
#   SOCEMU_TAP_DRIVER automake's tap-driver.sh, for LOG_DRIVER
# Without ACTION-IF-NOT-FOUND, a missing or too old socemu is an error.
AC_DEFUN([SOCEMU_PROG], [
  AC_ARG_VAR([SOCEMU], [the socemu emulator])
  AC_ARG_VAR([SOCEMU_DTSDIR], [socemu's boards and SoC include files (found from socemu when unset)])
  AC_PATH_PROG([SOCEMU], [socemu], [])
  soc_prog_ok=no
  AS_IF([test -n "$SOCEMU"], [
    AC_MSG_CHECKING([socemu version])
    soc_prog_version=`"$SOCEMU" -version 2>/dev/null | sed -n 's/^socemu //p'`
    AC_MSG_RESULT([${soc_prog_version:-unknown}])
    AS_IF([test -z "$1"], [soc_prog_ok=yes],
      [AS_VERSION_COMPARE([$soc_prog_version], [$1], [], [soc_prog_ok=yes], [soc_prog_ok=yes])])
  ])
  AS_IF([test "$soc_prog_ok" = yes], [
    soc_prog_bindir=`AS_DIRNAME(["$SOCEMU"])`
    AS_IF([test -z "$SOCEMU_DTSDIR"], [SOCEMU_DTSDIR=`pkg-config --variable=dtsdir socemu 2>/dev/null`])
    AS_IF([test -z "$SOCEMU_DTSDIR"], [SOCEMU_DTSDIR="$soc_prog_bindir/../share/socemu/dts"])
    SOCEMU_TAP_DRIVER=
    for soc_prog_d in /usr/share/automake-*; do
      AS_IF([test -f "$soc_prog_d/tap-driver.sh"], [SOCEMU_TAP_DRIVER="$soc_prog_d/tap-driver.sh"])
    done
    AC_SUBST([SOCEMU_DTSDIR])
    AC_SUBST([SOCEMU_TAP_DRIVER])
    m4_default([$2], [:])
  ], [
    m4_default([$3],
      [AC_MSG_ERROR([socemu m4_ifval([$1], [>= $1 ])not found; install it or set SOCEMU=/path/to/socemu])])
  ])
])
