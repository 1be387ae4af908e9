"""The peer comparison's system, written out for both tools: 10 tiers in
series, each of 5 components in parallel (the tier is up while any of its 5
is), 50 components in all; each component fails 2 times a year
(exponential times between failures) and is down for an exponential time of
mean 4 hours: about 100 outage events per simulated year.

    python3 tiered.py toml > tiered.toml      # the fateshare scenario
    python3 tiered.py repyability N            # times RePyability on N years
"""

import sys
import time

TIERS, WIDTH = 10, 5
PER_YEAR = 2.0
MEAN_REPAIR_HOURS = 4.0
HOURS = 8760.0


def names():
    return [[f"t{t}c{i}" for i in range(WIDTH)] for t in range(TIERS)]


def toml() -> str:
    out = ['name = "Peer comparison: 10 tiers of 5 parallel components"']
    out.append("[simulation]\nhorizon_hours = 8760\ntrials = 100000\nseed = 1")
    for t, tier in enumerate(names()):
        for c in tier:
            out.append(
                f'[[component]]\nid = "{c}"\noutages = {{ per_year = {PER_YEAR}, '
                f'duration = {{ dist = "exponential", mean_hours = {MEAN_REPAIR_HOURS} }} }}'
            )
        needs = ", ".join(f'"{c}"' for c in tier)
        out.append(f'[[component]]\nid = "tier{t}"\nneeds = [{needs}]\nmode = "any"')
    needs = ", ".join(f'"tier{t}"' for t in range(TIERS))
    out.append(f'[[component]]\nid = "system"\nneeds = [{needs}]')
    out.append('[[architecture]]\nid = "system"\nserves = "system"\nloss = { per_hour = 1000 }')
    return "\n".join(out) + "\n"


def repyability(trials: int) -> None:
    import surpyval as surv
    from repyability import RepairableRBD

    edges, previous = [], ["s"]
    for tier in names():
        edges += [(p, c) for p in previous for c in tier]
        previous = tier
    edges += [(p, "t") for p in previous]
    unit = {
        "reliability": surv.Exponential.from_params([PER_YEAR / HOURS]),
        "repairability": surv.Exponential.from_params([1.0 / MEAN_REPAIR_HOURS]),
    }
    rbd = RepairableRBD(edges, {c: dict(unit) for tier in names() for c in tier})
    # Compile (or load numba's cache) before timing.
    rbd.availability(t_simulation=HOURS, mc_samples=100, seed=1, engine="numba", n_jobs=1)
    cpu = time.process_time()
    result = rbd.availability(
        t_simulation=HOURS, mc_samples=trials, seed=2, engine="numba", n_jobs=1
    )
    cpu = time.process_time() - cpu
    print(
        f"repyability {trials} {cpu:.3f} s CPU "
        f"({cpu / trials * 1e6:.1f} us a year; availability {result.sample_mean_availability})"
    )


if __name__ == "__main__":
    if sys.argv[1:2] == ["toml"]:
        sys.stdout.write(toml())
    elif sys.argv[1:2] == ["repyability"]:
        repyability(int(sys.argv[2]))
    else:
        sys.exit(__doc__)
