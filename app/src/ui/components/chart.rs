//! Charts drawn as SVG on the server: no JavaScript, readable when printed, with the numbers
//! beside them in a table (the chart is a picture of the table, not a replacement for it).

use leptos::prelude::*;

/// One line of a chart: a name for the legend, a CSS class for its colour, a value per label.
#[derive(Clone, Debug, PartialEq)]
pub struct Series {
    pub name: &'static str,
    /// `series-1` … `series-4` in the stylesheet.
    pub class: &'static str,
    pub values: Vec<u32>,
}

const WIDTH: f64 = 640.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 36.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// A line chart of `series` over `labels` (one point per label), with a legend; `summary`
/// describes it for screen readers.
#[component]
pub fn LineChart(
    labels: Vec<String>,
    series: Vec<Series>,
    #[prop(into)] summary: String,
) -> impl IntoView {
    let max = series
        .iter()
        .flat_map(|s| s.values.iter().copied())
        .max()
        .unwrap_or(0)
        .max(1);
    let step = nice_step(max);
    let top = max.div_ceil(step) * step;
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let count = labels.len().max(1);
    let x = move |i: usize| {
        if count == 1 {
            LEFT + plot_w / 2.0
        } else {
            LEFT + plot_w * i as f64 / (count - 1) as f64
        }
    };
    let y = move |v: u32| TOP + plot_h - plot_h * f64::from(v) / f64::from(top);
    let gridlines = (0..=top / step)
        .map(|k| {
            let v = k * step;
            view! {
                <line class="grid" x1=LEFT x2=WIDTH - RIGHT y1=y(v) y2=y(v) />
                <text class="axis" x=LEFT - 6.0 y=y(v) + 4.0 text-anchor="end">{v}</text>
            }
        })
        .collect_view();
    // Label every other point when they would crowd.
    let every = labels.len().div_ceil(7).max(1);
    let x_labels = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| i % every == 0 || *i + 1 == labels.len())
        .map(|(i, label)| {
            // The end labels stay inside the picture.
            let anchor = match i {
                0 if count > 1 => "start",
                i if i + 1 == count && count > 1 => "end",
                _ => "middle",
            };
            view! { <text class="axis" x=x(i) y=HEIGHT - 8.0 text-anchor=anchor>{label.clone()}</text> }
        })
        .collect_view();
    let lines = series
        .iter()
        .map(|s| {
            let points = s
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v)))
                .collect::<Vec<_>>()
                .join(" ");
            let dots = s
                .values
                .iter()
                .enumerate()
                .map(|(i, v)| {
                    let tip = format!(
                        "{}: {} {}",
                        labels.get(i).cloned().unwrap_or_default(),
                        v,
                        s.name.to_lowercase()
                    );
                    view! { <circle cx=x(i) cy=y(*v) r="3"><title>{tip}</title></circle> }
                })
                .collect_view();
            view! { <g class=format!("series {}", s.class)><polyline points=points />{dots}</g> }
        })
        .collect_view();
    let legend = series
        .iter()
        .map(|s| view! { <li><span class=format!("swatch {}", s.class)></span>{s.name}</li> })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 {WIDTH} {HEIGHT}") role="img" aria-label=summary preserveAspectRatio="xMidYMid meet">
                {gridlines}
                {x_labels}
                {lines}
            </svg>
            <ul class="legend">{legend}</ul>
        </figure>
    }
}

/// A step for the y axis giving at most five gridlines: 1, 2 or 5 times a power of ten.
fn nice_step(max: u32) -> u32 {
    let mut power = 1u32;
    loop {
        for factor in [1, 2, 5] {
            let step = power.saturating_mul(factor);
            if max.div_ceil(step) <= 5 {
                return step;
            }
        }
        power = power.saturating_mul(10);
    }
}

#[cfg(test)]
mod tests {
    use super::nice_step;

    #[test]
    fn the_y_axis_steps_in_ones_twos_and_fives() {
        assert_eq!(nice_step(1), 1);
        assert_eq!(nice_step(5), 1);
        assert_eq!(nice_step(6), 2);
        assert_eq!(nice_step(10), 2);
        assert_eq!(nice_step(11), 5);
        assert_eq!(nice_step(25), 5);
        assert_eq!(nice_step(26), 10);
        assert_eq!(nice_step(480), 100);
    }
}
