"""Printable plans and club reports: HTML per dinner, place cards, who met whom."""

from seating.club.report.html import DinnerView, SeatView, TableView, render_cards, render_plan
from seating.club.report.meetings import MeetingStats, meeting_stats

__all__ = [
    "DinnerView",
    "MeetingStats",
    "SeatView",
    "TableView",
    "meeting_stats",
    "render_cards",
    "render_plan",
]
