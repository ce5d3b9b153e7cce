#!/bin/sh
# make-mbtiles-seeds.sh: the MBTiles seeds of the fuzz corpus (tests/fuzz/corpus/mbtiles/),
# tiny SQLite files made with sqlite3 (512-byte pages, so that libFuzzer's mutations of
# their bytes meet the metadata and the tiles). Run it again after changing it and commit
# the files.
set -eu
out=$(cd "$(dirname "$0")" && pwd)/corpus/mbtiles
mkdir -p "$out"

make () {
  rm -f "$out/$1"
  { echo "PRAGMA page_size = 512; PRAGMA journal_mode = DELETE;"
    echo "CREATE TABLE metadata (name TEXT NOT NULL, value TEXT);"
    echo "CREATE TABLE tiles (zoom_level INTEGER NOT NULL, tile_column INTEGER NOT NULL, tile_row INTEGER NOT NULL, tile_data BLOB NOT NULL);"
    echo "CREATE UNIQUE INDEX tile_index ON tiles (zoom_level, tile_column, tile_row);"
    cat
    echo "VACUUM;"; } | sqlite3 "$out/$1" >/dev/null
}

meta () {
  for kv in "$@"; do
    printf "INSERT INTO metadata VALUES ('%s', '%s');\n" "${kv%%=*}" "${kv#*=}"
  done
}

# A good map: the port at zoom 10 and 11, a tile at the centre of each.
{ meta name=Port format=png "bounds=4.2,51.2,4.4,51.4" "center=4.3,51.3,10" minzoom=10 maxzoom=11 \
       "attribution=Portboard"
  echo "INSERT INTO tiles VALUES (10, 524, 1023 - 339, x'89504e470d0a1a0a');"
  echo "INSERT INTO tiles VALUES (11, 1048, 2047 - 679, x'89504e470d0a1a0a0000');"
  echo "INSERT INTO tiles VALUES (0, 0, 0, x'ffd8ff');"; } | make good.mbtiles
meta name=World format=jpg "bounds=-180,-85.05,180,85.05" "center=0,0,0" minzoom=0 maxzoom=0 | make world.mbtiles
meta name=Vector format=pbf "bounds=4.2,51.2,4.4,51.4" "center=4.3,51.3,10" minzoom=10 maxzoom=14 | make vector.mbtiles
meta name=Lacking format=png | make lacking.mbtiles
meta name=Bad format=png "bounds=4.4,51.2,4.2,51.4" "center=4.3,51.3,40" minzoom=12 maxzoom=3 | make bad-metadata.mbtiles
meta name=Odd format=png "bounds= 4.2 , 51.2 ,4.4,51.4" "center=4.3,51.3,1e1" minzoom=010 maxzoom=+11 | make odd-numbers.mbtiles
# Numbers strtod reads but no bound compares with (a regression: the centre's zoom was cast
# from NaN).
meta name=Nan format=png "bounds=4.2,51.2,4.4,nan" "center=nan,51.3,nan" minzoom=1 maxzoom=2 | make nan.mbtiles
meta name=Inf format=png "bounds=-inf,51.2,inf,51.4" "center=4.3,51.3,10" minzoom=1 maxzoom=2 | make inf.mbtiles
# SQLite, not MBTiles.
rm -f "$out/not-mbtiles.mbtiles"
echo "PRAGMA page_size = 512; CREATE TABLE t (x); VACUUM;" | sqlite3 "$out/not-mbtiles.mbtiles" >/dev/null
# A view for the tiles table, with the wrong columns.
rm -f "$out/tiles-view.mbtiles"
{ echo "PRAGMA page_size = 512; CREATE TABLE metadata (name TEXT, value TEXT); CREATE VIEW tiles AS SELECT 1 AS a;"
  meta name=V format=png "bounds=4.2,51.2,4.4,51.4" "center=4.3,51.3,10" minzoom=10 maxzoom=11
  echo "VACUUM;"; } | sqlite3 "$out/tiles-view.mbtiles" >/dev/null
printf 'SQLite format 3' > "$out/short.mbtiles"
printf 'PK\003\004 not a database at all' > "$out/zip.mbtiles"
