#!/usr/bin/env bash
# Installs everything reportgen needs on Debian: system libraries, free substitutes for the
# official fonts, and the Python package itself.  Safe to run again; it only adds what is missing.
#
#   scripts/setup.sh          the tool
#   scripts/setup.sh --dev    the tool plus what the test suite needs
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dev=0
for arg in "$@"; do
  case "$arg" in
    --dev) dev=1 ;;
    *) echo "用法: scripts/setup.sh [--dev]" >&2; exit 2 ;;
  esac
done

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null 2>&1 && sudo="sudo" || { echo "需要 root 权限安装系统软件包" >&2; exit 1; }
fi

# System packages: Pango for WeasyPrint, HarfBuzz subsetting (PDF builds are 10-30x slower
# without it), Noto CJK as the fallback that covers rare characters, poppler for tests.
packages=(fontconfig libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-noto-cjk)
[ "$dev" -eq 1 ] && packages+=(poppler-utils libreoffice-writer-nogui libreoffice-calc-nogui chromium chromium-driver)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  echo "安装系统软件包: ${missing[*]}"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# Fandol fonts (free FangSong/Song/Hei/Kai covering GB2312) ship inside Debian's
# texlive-lang-chinese.  Take just the font files from the downloaded package, not TeX itself.
fontdir=/usr/local/share/fonts/reportgen-fandol
if [ ! -f "$fontdir/FandolFang-Regular.otf" ]; then
  echo "安装 Fandol 字体"
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  (cd "$work" && apt-get download texlive-lang-chinese >/dev/null 2>&1) || {
    $sudo apt-get update -qq
    (cd "$work" && apt-get download texlive-lang-chinese >/dev/null)
  }
  dpkg-deb --fsys-tarfile "$work"/texlive-lang-chinese_*.deb \
    | tar -x -C "$work" --wildcards '*/fonts/opentype/public/fandol/Fandol*.otf'
  $sudo mkdir -p "$fontdir"
  $sudo cp "$work"/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol/Fandol{Fang,Song,Hei,Kai}-*.otf "$fontdir"/
  $sudo fc-cache -f "$fontdir" >/dev/null
fi

# The Python package.  A distribution's own Python (PEP 668) needs to be told that a system-wide
# install is intended.
extra=()
stdlib="$(python3 -c 'import sysconfig; print(sysconfig.get_path("stdlib"))')"
[ -f "$stdlib/EXTERNALLY-MANAGED" ] && extra+=(--break-system-packages)
python3 -m pip install -q --disable-pip-version-check --root-user-action=ignore "${extra[@]}" \
  -e "$here$([ "$dev" -eq 1 ] && echo '[dev]')"
# An editable install is not byte-compiled: compiled once here, the modules are not compiled again
# at every command where Python may not write its cache (PYTHONDONTWRITEBYTECODE).
python3 -m compileall -q "$here/reportgen" >/dev/null
echo "reportgen 已安装: $(command -v reportgen)"
