"""Small inline SVG charts of an entry's figures over the years (server-rendered, no script)."""

from dataclasses import dataclass

from ..choices import MetricKind

WIDTH, HEIGHT, PAD_X, PAD_TOP, PAD_BOTTOM = 320, 150, 36, 12, 28


@dataclass
class Chart:
    kind: str
    label: str
    unit: str
    points: list  # (x, y, year, formatted value)
    polyline: str
    first_year: int
    last_year: int
    top_label: str
    width: int = WIDTH
    height: int = HEIGHT
    baseline: int = HEIGHT - PAD_BOTTOM


def metric_charts(country):
    """One chart per kind of figure with at least two years; metrics should be prefetched."""
    by_kind = {}
    for metric in country.metrics.all():
        by_kind.setdefault(metric.kind, []).append(metric)
    charts = []
    for kind in MetricKind:
        metrics = sorted(by_kind.get(kind, []), key=lambda m: m.year)
        if len(metrics) < 2:
            continue
        first, last = metrics[0].year, metrics[-1].year
        top = 100 if kind.is_percentage else max(float(m.value) for m in metrics) or 1
        span_x = WIDTH - 2 * PAD_X
        span_y = HEIGHT - PAD_TOP - PAD_BOTTOM
        points = [
            (
                round(PAD_X + span_x * (m.year - first) / max(last - first, 1), 1),
                round(PAD_TOP + span_y * (1 - float(m.value) / top), 1),
                m.year,
                m.formatted_value(),
            )
            for m in metrics
        ]
        top_label = (
            "100%"
            if kind.is_percentage
            else metrics[0].__class__(kind=kind, value=top).formatted_value()
        )
        charts.append(
            Chart(
                kind=kind.value,
                label=kind.label,
                unit=str(kind.unit),
                points=points,
                polyline=" ".join(f"{x},{y}" for x, y, _year, _value in points),
                first_year=first,
                last_year=last,
                top_label=top_label,
            )
        )
    return charts
