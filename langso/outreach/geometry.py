"""Which points lie inside a CAP area's polygons and circles (pure: no Django).

Used to find the communes an upstream alert covers when it names them by shape instead of by
code: a commune is covered when its centroid lies inside. Good enough at commune scale; a
precise answer would need the boundaries, which the admin data does not ship.
"""

import math
from itertools import pairwise

EARTH_RADIUS_KM = 6371.0


def _pairs(text: str) -> list[tuple[float, float]]:
    points = []
    for pair in text.split():
        lat, lon = pair.split(",")
        points.append((float(lat), float(lon)))
    return points


def in_polygon(lat: float, lon: float, polygon: str) -> bool:
    """Ray casting over a CAP polygon ("lat,lon lat,lon …", first = last)."""
    points = _pairs(polygon)
    inside = False
    for (lat1, lon1), (lat2, lon2) in pairwise(points):
        if (lon1 > lon) != (lon2 > lon):
            crossing = lat1 + (lon - lon1) * (lat2 - lat1) / (lon2 - lon1)
            if lat < crossing:
                inside = not inside
    return inside


def in_circle(lat: float, lon: float, circle: str) -> bool:
    """A CAP circle is "lat,lon radius_km"; the distance is the great-circle (haversine) one."""
    centre, radius = circle.split()
    clat, clon = (float(v) for v in centre.split(","))
    phi1, phi2 = math.radians(lat), math.radians(clat)
    dphi, dlmb = math.radians(clat - lat), math.radians(clon - lon)
    h = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h)) <= float(radius)


def covered(lat: float, lon: float, polygons: tuple[str, ...], circles: tuple[str, ...]) -> bool:
    try:
        return any(in_polygon(lat, lon, p) for p in polygons) or any(
            in_circle(lat, lon, c) for c in circles
        )
    except ValueError:
        return False  # a malformed shape covers nothing
