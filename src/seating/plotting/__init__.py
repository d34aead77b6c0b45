"""Plots of simulated seasons, one function per plot; each takes ``ax=None`` and returns the Axes.

- :func:`plot_pair_matrix`: who met whom how often, as a heatmap;
- :func:`plot_over_season`: pair coverage (or strong ties, contacts) dinner by dinner, per policy;
- :func:`plot_contacts`: the distribution of contacts per member, per policy;
- :func:`plot_member_network`: the meeting network of one member.

The data come from :mod:`seating.policies.season_metrics` and
:class:`seating.policies.simulate.SimulationResult`.
"""

from seating.plotting.contacts import plot_contacts as plot_contacts
from seating.plotting.member_network import plot_member_network as plot_member_network
from seating.plotting.over_season import plot_over_season as plot_over_season
from seating.plotting.pair_matrix import cluster_order as cluster_order
from seating.plotting.pair_matrix import plot_pair_matrix as plot_pair_matrix

__all__ = [
    "cluster_order",
    "plot_contacts",
    "plot_member_network",
    "plot_over_season",
    "plot_pair_matrix",
]
