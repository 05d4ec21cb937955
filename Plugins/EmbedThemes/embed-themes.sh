#!/bin/sh
# embed-themes.sh TEMPLATES OUTPUT: writes OUTPUT, a Swift source holding every file of the folder
# TEMPLATES under its path relative to it, its bytes as one base64 string literal (any bytes, one
# short line per file for the compiler). OUTPUT is rewritten only when its content changes. Run
# by the EmbedThemes plugin when a theme file changes.
#
# What is embedded follows the rule a build reads an on-disk theme by (SiteFiles): regular files,
# names starting with "." skipped. Anything else (a symbolic link, a FIFO) stops the build: the
# binary ships what the repository holds.
set -eu
templates=$1
output=$2
fail() { echo "error: $1" >&2; exit 1; }

[ -d "$templates" ] || fail "$templates: no such folder"
odd=$(find "$templates" -name '.*' -prune -o ! -type f ! -type d -print | head -n 1)
[ -z "$odd" ] || fail "$odd: not a regular file or a folder; the themes built into shots are regular files"

partial="$output.partial"
{
  echo '// Generated at build time by the EmbedThemes plugin from templates/ (not committed).'
  echo
  echo '/// Every file of the shipped themes: its path under `templates/` and its bytes in base64.'
  echo 'let embeddedThemeFiles: [(path: String, base64: String)] = ['
  find "$templates" -name '.*' -prune -o -type f -print | LC_ALL=C sort | while IFS= read -r file; do
    relative=${file#"$templates"/}
    case $relative in
      *'"'* | *'\'*) fail "$file: a theme file's name may not hold \" or \\" ;;
    esac
    [ -f "$file" ] || fail "$file: not a regular file (a line break in its name?)"
    printf '    ("%s", "%s"),\n' "$relative" "$(base64 < "$file" | tr -d '\n')"
  done
  echo ']'
} > "$partial"
if cmp -s "$partial" "$output"; then rm "$partial"; else mv "$partial" "$output"; fi
