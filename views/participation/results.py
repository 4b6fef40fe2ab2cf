"""`/participate/<survey>/results`: the live results wall for a projector. Every chart has its
numbers beside it in words; a breakdown of fewer answers than the threshold is never shown."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import flet as ft

from services.errors import NotFound, ServiceError
from services.participation.models import QuestionResult, Results, ScaleCount
from views.context import ScreenContext, refresh_control
from views.widgets import error_text, heading

REFRESH_SECONDS = 5.0
BAR_COLOUR = ft.Colors.RED_800  # one colour for all bars: what they mean is in the text
BIG = 22  # px, text read from the back of a room
TITLE_SIZES = {1: 44, 2: 34}  # px, a survey's title on a wall of its own, or under an event


def big_text(text: str, *, size: int = BIG, bold: bool = False) -> ft.Text:
    """Text for the projector."""
    return ft.Text(text, size=size, weight=ft.FontWeight.BOLD if bold else None)


def bar_chart(ctx: ScreenContext, bars: Sequence[tuple[str, float]]) -> ft.Control:
    """Bars numbered as the lines of text under them; drawn only (the text says it all)."""
    import flet_charts as fch  # loaded with the first chart, not at start-up

    top = max((value for _label, value in bars), default=0) or 1
    groups = [
        fch.BarChartGroup(
            x=i,
            rods=[
                fch.BarChartRod(
                    from_y=0,
                    to_y=value,
                    width=28,
                    color=BAR_COLOUR,
                    border_radius=4,
                    tooltip=f"{label}: {ctx.tr.number(value)}",
                )
            ],
        )
        for i, (label, value) in enumerate(bars, start=1)
    ]
    chart = fch.BarChart(
        groups=groups,
        max_y=top * 1.1,
        left_axis=fch.ChartAxis(label_size=48),
        bottom_axis=fch.ChartAxis(
            labels=[
                fch.ChartAxisLabel(value=i, label=ft.Text(str(i), size=16))
                for i in range(1, len(bars) + 1)
            ],
            label_size=32,
        ),
        horizontal_grid_lines=fch.ChartGridLines(color=ft.Colors.GREY_300, width=1),
        height=280,
        expand=False,
    )
    return ft.Semantics(exclude_semantics=True, content=chart)


def share_line(ctx: ScreenContext, place: int, label: str, count: int, share: float) -> str:
    """ "2. Online-Terminbuchung: 40 % (4 answers)"."""
    answers = ctx.tr.ngettext("{n} answer", "{n} answers", count).format(n=count)
    return ctx._("{place}. {label}: {share} ({answers})").format(
        place=place, label=label, share=ctx.tr.percent(share), answers=answers
    )


def scale_lines(ctx: ScreenContext, distribution: list[ScaleCount]) -> list[str]:
    """A line per value of the scale, with its label."""
    return [
        share_line(ctx, i, f"{d.value} – {d.label}" if d.label else str(d.value), d.count, d.share)
        for i, d in enumerate(distribution, start=1)
    ]


def mean_line(ctx: ScreenContext, mean: float | None) -> str:
    """The mean, or that there is none yet."""
    if mean is None:
        return ctx._("No mean yet.")
    return ctx._("Mean: {mean}").format(mean=ctx.tr.number(round(mean, 1)))


def question_body(ctx: ScreenContext, q: QuestionResult, threshold: int) -> list[ft.Control]:
    """The chart and the numbers of one question, as its kind has them."""
    _ = ctx._
    if not q.shown:
        return [
            big_text(
                ctx.tr.ngettext(
                    "Fewer than {n} answer – not shown yet.",
                    "Fewer than {n} answers – not shown yet.",
                    threshold,
                ).format(n=threshold)
            )
        ]
    shown: list[ft.Control] = []
    lines: list[str] = []
    if q.kind in ("single_choice", "multiple_choice") and q.options is not None:
        shown.append(bar_chart(ctx, [(o.label, o.count) for o in q.options]))
        lines = [share_line(ctx, i, o.label, o.count, o.share) for i, o in enumerate(q.options, 1)]
    elif q.kind == "likert" and q.distribution is not None:
        shown.append(bar_chart(ctx, [(str(d.value), d.count) for d in q.distribution]))
        lines = [mean_line(ctx, q.mean), *scale_lines(ctx, q.distribution)]
    elif q.kind == "likert_matrix" and q.statements is not None:
        means = [(s.label, s.mean or 0.0) for s in q.statements]
        shown.append(bar_chart(ctx, means))
        for i, s in enumerate(q.statements, 1):
            if s.answered < threshold or s.mean is None:
                lines.append(
                    _("{place}. {label}: fewer than {n} answers").format(
                        place=i, label=s.label, n=threshold
                    )
                )
            else:
                lines.append(
                    _("{place}. {label}: mean {mean}").format(
                        place=i, label=s.label, mean=ctx.tr.number(round(s.mean, 1))
                    )
                )
    elif q.kind == "ranking" and q.ranking is not None:
        ranked = sorted(q.ranking, key=lambda r: -r.borda)
        shown.append(bar_chart(ctx, [(r.label, r.borda) for r in ranked]))
        lines = [
            _("{place}. {label}: {score} points, mean place {mean}, first {first} times").format(
                place=i,
                label=r.label,
                score=r.borda,
                mean=ctx.tr.number(round(r.mean_rank, 1)),
                first=r.first,
            )
            for i, r in enumerate(ranked, 1)
        ]
    elif q.kind == "free_text":
        approved = q.texts or []
        if not approved:
            lines = [_("No approved answers yet.")]
        shown.extend(
            ft.Container(
                big_text(f"„{text}“", size=20),
                padding=12,
                border=ft.Border.only(left=ft.BorderSide(4, ft.Colors.OUTLINE)),
            )
            for text in approved
        )
    shown.extend(big_text(line, size=20) for line in lines)
    return shown


def results_view(ctx: ScreenContext, results: Results, *, level: int = 1) -> list[ft.Control]:
    """The title (a heading of `level`), how many took part, and each question's results."""
    rows: list[ft.Control] = [
        ft.Semantics(
            header=True,
            heading_level=level,
            content=ft.Text(results.title, size=TITLE_SIZES[level], weight=ft.FontWeight.BOLD),
        ),
        ft.Semantics(
            identifier="results-responses",
            live_region=True,
            content=big_text(
                ctx.tr.ngettext(
                    "{n} person has taken part.", "{n} people have taken part.", results.responses
                ).format(n=results.responses),
                size=28,
                bold=True,
            ),
        ),
    ]
    for i, q in enumerate(results.questions, 1):
        answered = ctx.tr.ngettext("{n} answer", "{n} answers", q.answered).format(n=q.answered)
        block: list[ft.Control] = [
            ft.Semantics(
                header=True,
                heading_level=level + 1,
                content=ft.Text(f"{i}. {q.text}", size=28, weight=ft.FontWeight.BOLD),
            ),
            big_text(answered, size=18),
            *question_body(ctx, q, results.threshold),
        ]
        rows.append(
            ft.Container(ft.Column(block, spacing=8), padding=ft.Padding.only(top=16, bottom=8))
        )
    return rows


def build_results(
    ctx: ScreenContext, survey: str, *, level: int = 1, take_part: bool = True
) -> ft.Control:
    """The results, fetched again every few seconds while the wall is shown (its title a
    heading of `level`; `take_part`: with the way to the survey)."""
    _ = ctx._
    box = ft.Column(spacing=12)
    status = ft.Text(size=16)
    held: dict[str, Any] = {"results": None, "error": None, "at": None}

    def status_text() -> str:
        at: datetime | None = held["at"]
        error: ServiceError | None = held["error"]
        if at is None:
            return error_text(ctx, error) if error is not None else _("Loading …")
        updated = _("Updated at {time}.").format(time=ctx.tr.time(at))
        if error is not None:
            return _("{problem} Showing the results as of {time}.").format(
                problem=error_text(ctx, error), time=ctx.tr.time(at)
            )
        return updated

    def redraw(changed: bool) -> None:
        status.value = status_text()
        refresh_control(status)
        if not changed:
            return  # the same numbers: nothing is drawn or announced again
        results: Results | None = held["results"]
        if results is not None:
            box.controls = results_view(ctx, results, level=level)
        elif isinstance(held["error"], NotFound):
            box.controls = [
                heading(_("Survey results"), level=level),
                big_text(_("This survey does not exist.")),
            ]
        refresh_control(box)

    async def load() -> None:
        before = held["results"], type(held["error"])
        try:
            held["results"] = await ctx.services.participation.results(survey)
        except ServiceError as error:
            held["error"] = error
        else:
            held["error"], held["at"] = None, ctx.now()
        redraw((held["results"], type(held["error"])) != before)

    async def keep_fresh() -> None:
        while True:
            await load()
            if isinstance(held["error"], NotFound):
                return
            await asyncio.sleep(REFRESH_SECONDS)

    status.value = status_text()
    box.controls = [heading(_("Survey results"), level=level)]  # until its title is known
    ctx.run_task(keep_fresh)
    shown: list[ft.Control] = [
        box,
        ft.Semantics(identifier=f"results-updated-{survey}", content=status),
    ]
    if take_part:
        # the way to the survey itself (also what makes the long wall reachable by keyboard)
        shown.append(
            ft.OutlinedButton(
                _("Take part in this survey"),
                icon=ft.Icons.HOW_TO_VOTE_OUTLINED,
                on_click=lambda _e: ctx.navigate(f"/participate/{survey}"),
            )
        )
    return ft.Column(shown, spacing=16)
