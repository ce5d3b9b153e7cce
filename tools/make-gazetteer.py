#!/usr/bin/env python3
# make-gazetteer.py: writes data/gazetteer/antwerp-bruges.geojson
#
# SPDX-License-Identifier: GPL-3.0-or-later
#
# A schematic gazetteer of the Antwerp part of the Port of Antwerp-Bruges, approximated
# around the public terminal coordinates of the SMDG Terminal Code List (v20201001, see
# ../shared/reference/domain.md section 4.1): the Scheldt as a band along a centre line,
# docks as strips, each terminal as a block that holds its listed point, beside its dock
# or the river, with its quay (SMDG quay numbers) on the water side. It is meant to let a
# port officer find the terminals, not to survey them: shapes are simplified and
# positions are good to a few hundred metres. Zeebrugge is not drawn: the sources give
# no coordinates for its terminals.
#
# Run from the top of the source tree: python3 tools/make-gazetteer.py

import json
import math

LAT0 = 51.30
M_PER_DEG_LAT = 111_200.0
M_PER_DEG_LON = 111_320.0 * math.cos(math.radians(LAT0))


def band(centre, width_m):
    """A polygon around a line of (lon, lat) points, width_m wide."""
    half = width_m / 2
    left, right = [], []
    for i, (lon, lat) in enumerate(centre):
        a = centre[max(i - 1, 0)]
        b = centre[min(i + 1, len(centre) - 1)]
        dx = (b[0] - a[0]) * M_PER_DEG_LON
        dy = (b[1] - a[1]) * M_PER_DEG_LAT
        n = math.hypot(dx, dy) or 1.0
        nx, ny = -dy / n, dx / n          # left normal, in metres
        left.append((lon + nx * half / M_PER_DEG_LON, lat + ny * half / M_PER_DEG_LAT))
        right.append((lon - nx * half / M_PER_DEG_LON, lat - ny * half / M_PER_DEG_LAT))
    ring = left + right[::-1]
    return ring + [ring[0]]


def bank(centre, width_m, lat):
    """The point of the river's right-hand (downstream: eastern) bank at a latitude."""
    for (lon_a, lat_a), (lon_b, lat_b) in zip(centre, centre[1:]):
        if min(lat_a, lat_b) <= lat <= max(lat_a, lat_b):
            t = (lat - lat_a) / (lat_b - lat_a)
            lon = lon_a + t * (lon_b - lon_a)
            dx = (lon_b - lon_a) * M_PER_DEG_LON
            dy = (lat_b - lat_a) * M_PER_DEG_LAT
            n = math.hypot(dx, dy)
            nx, ny = dy / n, -dx / n          # right normal
            return (lon + nx * width_m / 2 / M_PER_DEG_LON, lat + ny * width_m / 2 / M_PER_DEG_LAT)
    raise ValueError(lat)


def riverside(centre, width_m, south, north, depth_deg):
    """A terminal block along the river's eastern bank, and its quay (the bank)."""
    steps = [south + (north - south) * k / 4 for k in range(5)]
    quay = [bank(centre, width_m, lat) for lat in steps]
    block = quay + [(lon + depth_deg, lat) for lon, lat in quay[::-1]] + [quay[0]]
    return block, quay


def box(west, south, east, north):
    return [(west, south), (east, south), (east, north), (west, north), (west, south)]


def r(points):
    return [[round(lon, 6), round(lat, 6)] for lon, lat in points]


features = []


def add(kind, name, geometry_type, coordinates):
    features.append({
        "type": "Feature",
        "properties": {"name": name, "kind": kind},
        "geometry": {"type": geometry_type, "coordinates": coordinates},
    })


# Port areas (land) first, so that everything else is drawn over them.
add("area", "Waaslandhaven", "Polygon", [r(box(4.180, 51.262, 4.300, 51.305))])
add("area", "Port area north of Antwerp", "Polygon", [r([(4.268, 51.262), (4.400, 51.252), (4.400, 51.335),
                                                           (4.300, 51.340), (4.268, 51.318), (4.268, 51.262)])])

# The Scheldt, from Antwerp downstream to the Dutch border.
scheldt = [(4.400, 51.212), (4.396, 51.226), (4.386, 51.238), (4.370, 51.249), (4.350, 51.260),
           (4.328, 51.270), (4.306, 51.282), (4.288, 51.294), (4.276, 51.306), (4.266, 51.320),
           (4.261, 51.336), (4.256, 51.350), (4.247, 51.364), (4.232, 51.380), (4.215, 51.392)]
add("water", "Scheldt", "Polygon", [r(band(scheldt, 650))])


# Docks.
add("dock", "Deurganckdok", "Polygon", [r([(4.2585, 51.2780), (4.2645, 51.2780), (4.2645, 51.3010),
                                             (4.2760, 51.3050), (4.2720, 51.3085), (4.2585, 51.3040),
                                             (4.2585, 51.2780)])])
add("dock", "Waaslandkanaal", "Polygon", [r(box(4.185, 51.2745, 4.302, 51.2785))])
add("dock", "Kallo Lock", "Polygon", [r(box(4.298, 51.2785, 4.304, 51.2835))])
add("dock", "Churchilldok", "Polygon", [r(box(4.338, 51.2805, 4.392, 51.2845))])
add("dock", "Hansadok", "Polygon", [r(box(4.362, 51.2555, 4.396, 51.2600))])
add("dock", "Kanaaldok", "Polygon", [r(box(4.3555, 51.2600, 4.3605, 51.3185))])
add("dock", "Delwaidedok", "Polygon", [r(box(4.2860, 51.3185, 4.3620, 51.3225))])
add("dock", "Berendrecht Lock", "Polygon", [r(box(4.2660, 51.3190, 4.2860, 51.3220))])

# Terminals: (name, block, quay line, SMDG quays). Each block holds the terminal's point.
europa_block, europa_quay = riverside(scheldt, 650, 51.3290, 51.3450, 0.0175)
noordzee_block, noordzee_quay = riverside(scheldt, 650, 51.3460, 51.3580, 0.0165)
terminals = [
    ("MPET Deurganck Dock", box(4.2460, 51.2800, 4.2585, 51.3020), [(4.2585, 51.2800), (4.2585, 51.3020)], "K1742"),
    ("Antwerp Gateway", box(4.2645, 51.2810, 4.2770, 51.3000), [(4.2645, 51.2810), (4.2645, 51.3000)], "K1700–K1710"),
    ("Europa Terminal", europa_block, europa_quay, "K851–K869"),
    ("Noordzee Terminal", noordzee_block, noordzee_quay, "K903–K913"),
    ("Churchill Terminal", box(4.3500, 51.2750, 4.3800, 51.2805), [(4.3500, 51.2805), (4.3800, 51.2805)], "K402–K428"),
    ("Antwerp Container Terminal", box(4.3350, 51.3225, 4.3550, 51.3290), [(4.3350, 51.3225), (4.3550, 51.3225)], "K730"),
    ("Antwerp Euroterminal", box(4.1920, 51.2670, 4.2160, 51.2745), [(4.1920, 51.2745), (4.2160, 51.2745)], "K1329–K1347"),
    ("Belgian New Fruit Wharf", box(4.3680, 51.2600, 4.3900, 51.2655), [(4.3680, 51.2600), (4.3900, 51.2600)], "K206–K212"),
]
for name, block, quay, quays in terminals:
    add("terminal", name, "Polygon", [r(block)])
    add("quay", "Quay " + quays, "LineString", r(quay))

collection = {"type": "FeatureCollection",
              "name": "Port of Antwerp-Bruges (Antwerp), schematic",
              "features": features}
with open("data/gazetteer/antwerp-bruges.geojson", "w") as out:
    json.dump(collection, out, ensure_ascii=False, indent=1)
    out.write("\n")
