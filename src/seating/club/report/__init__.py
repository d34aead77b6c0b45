"""Printable plans and club reports: HTML per dinner, place cards and tent cards in the club's
language, PDF through headless Chromium, who met whom."""

from seating.club.report.html import (
    DinnerView,
    SeatView,
    TableView,
    render_cards,
    render_plan,
    render_tents,
)
from seating.club.report.meetings import MeetingStats, meeting_stats
from seating.club.report.pdf import PdfError, to_pdf

__all__ = [
    "DinnerView",
    "MeetingStats",
    "PdfError",
    "SeatView",
    "TableView",
    "meeting_stats",
    "render_cards",
    "render_plan",
    "render_tents",
    "to_pdf",
]
