"""Everyone in the province, members or not: names, ID numbers, mobiles, assigned at the end."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from . import ids, names


def birth_dates(rng: np.random.Generator, age_lo: np.ndarray | float, age_hi: np.ndarray | float,
                as_of: np.datetime64, n: int) -> np.ndarray:
    """Birth dates (datetime64[D]) for ages uniform in [age_lo, age_hi) years at as_of."""
    age_days = (np.asarray(age_lo) + rng.random(n) * (np.asarray(age_hi) - age_lo)) * 365.25
    return as_of.astype("datetime64[D]") - age_days.astype(np.int64)


def jitter_days(rng: np.random.Generator, n: int, sd: float = 250, cap: int = 600) -> np.ndarray:
    """Normal day offsets; the rare ones beyond +-cap are redrawn uniformly, never piled at the cap
    (a pile would put too many people on one birth date for the ID sequence)."""
    d = rng.normal(0, sd, n)
    far = np.abs(d) > cap
    d[far] = rng.uniform(-cap, cap, far.sum())
    return d.astype(np.int64)


class People:
    """Collects demographics from every module, then gives each person an identity at once,
    so that ID numbers are unique across members, cadres, rosters and dirty rows alike."""

    def __init__(self) -> None:
        self._parts: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.n = 0

    def add(self, birth: np.ndarray, male: np.ndarray, city: np.ndarray | int) -> np.ndarray:
        """Register people (birth dates, gender, 4-digit city prefix); returns their indices."""
        k = len(birth)
        city = np.broadcast_to(np.asarray(city, dtype=np.int64), (k,)).copy()
        self._parts.append((birth.astype("datetime64[D]"), male.astype(bool), city))
        self.n += k
        return np.arange(self.n - k, self.n)

    def births(self) -> np.ndarray:
        """Birth dates of everyone registered so far (before or after finalize)."""
        if not self._parts:
            return self.birth
        return np.concatenate([p[0] for p in self._parts])

    def finalize(self, rng: np.random.Generator) -> None:
        self.birth = np.concatenate([p[0] for p in self._parts])
        self.male = np.concatenate([p[1] for p in self._parts])
        city = np.concatenate([p[2] for p in self._parts])
        self._parts = []
        year = self.birth.astype("datetime64[Y]").astype(np.int64) + 1970
        self.region = ids.pick_regions(rng, year, city)
        self.id_number = ids.id_numbers(self.region, self.birth, self.male)
        self.mobile = ids.mobiles(rng, self.n, names.MOBILE_PREFIXES)
        sur_p = np.array(names.SURNAME_WEIGHTS)
        self.surname = rng.choice(len(names.SURNAMES), self.n, p=sur_p / sur_p.sum()).astype(
            np.int16
        )
        pool = max(len(names.GIVEN_MALE), len(names.GIVEN_FEMALE))
        self.given1 = rng.integers(0, pool, self.n).astype(np.int16)
        two = rng.random(self.n) < 0.72
        self.given2 = np.where(two, rng.integers(0, pool, self.n), -1).astype(np.int16)

    def name(self, idx: np.ndarray) -> pa.Array:
        """Names as an Arrow string array."""
        sur = pa.array(list(names.SURNAMES)).take(pa.array(self.surname[idx]))
        male = self.male[idx]
        gm, gf = list(names.GIVEN_MALE), list(names.GIVEN_FEMALE)
        g1 = pc.if_else(pa.array(male), pa.array(gm).take(pa.array(self.given1[idx] % len(gm))),
                        pa.array(gf).take(pa.array(self.given1[idx] % len(gf))))
        g2i = self.given2[idx]
        g2m = pa.array(gm + [""]).take(pa.array(np.where(g2i < 0, len(gm), g2i % len(gm))))
        g2f = pa.array(gf + [""]).take(pa.array(np.where(g2i < 0, len(gf), g2i % len(gf))))
        g2 = pc.if_else(pa.array(male), g2m, g2f)
        return pc.binary_join_element_wise(sur, g1, g2, "")

    def id_text(self, idx: np.ndarray) -> pa.Array:
        return pa.array(self.id_number[idx]).cast(pa.string())

    def mobile_text(self, idx: np.ndarray) -> pa.Array:
        return pa.array(self.mobile[idx]).cast(pa.string())

    def age_at(self, idx: np.ndarray, day: np.datetime64) -> np.ndarray:
        """Whole years of age at a day."""
        b = self.birth[idx]
        return age_years(b, day)


def age_years(birth: np.ndarray, day: np.datetime64) -> np.ndarray:
    by = ids.ymd_int(birth)
    dy = int(ids.ymd_int(np.array([day]))[0])
    return (dy - by) // 10000
