#!/bin/sh
# Every translatable string of the sources is translated in every language, with nothing
# fuzzy or untranslated, and every translation keeps the format directives of its source.
set -eu
top=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

grep -v '^#' "$top/po/POTFILES.in" | grep -v '^$' > "$tmp/files"
(cd "$top" && xgettext --files-from="$tmp/files" --output="$tmp/portboard.pot" \
  --from-code=UTF-8 --add-comments --package-name=portboard \
  --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
  --keyword=g_dngettext:2,3 --keyword=ngettext:1,2 --flag=N_:1:pass-c-format)

status=0

# Every source file with a translatable string is listed.
for f in $(cd "$top" && grep -rlE '(^|[^A-Za-z_])N?_\(|translatable="yes"' src ui data --include='*.c' --include='*.ui' --include='*.in'); do
  if ! grep -qx "$f" "$tmp/files"; then
    echo "$f has translatable strings but is not in po/POTFILES.in"; status=1
  fi
done

for lang in $(grep -v '^#' "$top/po/LINGUAS"); do
  po="$top/po/$lang.po"
  if ! msgcmp --use-untranslated "$po" "$tmp/portboard.pot" 2>"$tmp/cmp"; then
    echo "$lang: strings missing from $po:"; cat "$tmp/cmp"; status=1
  fi
  stats=$(msgfmt --check --statistics -o /dev/null "$po" 2>&1) || { echo "$lang: $stats"; status=1; }
  case $stats in
    *fuzzy*|*untranslated*) echo "$lang: $stats"; status=1 ;;
  esac
  echo "$lang: $stats"
done
exit $status
