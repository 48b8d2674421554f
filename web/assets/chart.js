// A small SVG step chart of one tariff pair's total over time, drawn by hand (no library):
// the level holds until the next change. A vertical rule marks the chosen day. The same numbers
// are given as a table for screen readers and for copying.

import { h, s } from './dom.js';
import { formatDay, formatInstant, percent } from './format.js';

const HEIGHT = 190;
const PAD = { left: 44, right: 12, top: 26, bottom: 26 };
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** A round upper bound for the y axis. */
function niceMax(value) {
  const steps = [10, 25, 50, 100, 150, 200, 300, 500, 1000];
  return steps.find((step) => step >= value) ?? Math.ceil(value / 100) * 100;
}

/**
 * Date ticks at the start of months, every 1, 2, 3, 6 or 12 months so that they do not crowd
 * (one per 80 px at most), each with its year: `Apr 2025`; yearly ticks say the year alone.
 */
function dateTicks(from, to, plotWidth) {
  const most = Math.max(2, Math.floor(plotWidth / 80));
  const start = new Date(from);
  const months =
    (new Date(to).getUTCFullYear() - start.getUTCFullYear()) * 12 +
    new Date(to).getUTCMonth() -
    start.getUTCMonth();
  const every = [1, 2, 3, 6, 12, 24, 60].find((m) => months / m <= most) ?? 120;
  const ticks = [];
  let year = start.getUTCFullYear();
  let month = start.getUTCMonth() + 1;
  if (month > 11) {
    month = 0;
    year += 1;
  }
  while (every >= 12 && month !== 0) {
    month = (month + 1) % 12;
    if (month === 0) year += 1;
  }
  while (every < 12 && month % every !== 0) {
    month += 1;
    if (month > 11) {
      month = 0;
      year += 1;
    }
  }
  for (let ms = Date.UTC(year, month, 1); ms <= to;) {
    const d = new Date(ms);
    ticks.push({
      ms,
      label:
        every >= 12
          ? String(d.getUTCFullYear())
          : `${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`,
    });
    ms = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + every, 1);
  }
  return ticks;
}

/**
 * @param {{at: string, total: number}[]} points the step series, oldest first
 * @param {{ id: string, title: string, startMs: number, endMs: number, asOfMs: number, width?: number }} options
 *   `width`: the width it is drawn at, in CSS pixels (the slot's), so that one unit is one pixel
 *   and the labels are never stretched.
 */
export function stepChart(points, { id, title, startMs, endMs, asOfMs, width = 640 }) {
  const WIDTH = Math.max(280, Math.round(width));
  const last = points.length ? Date.parse(points[points.length - 1].at) : startMs;
  const from = Math.min(startMs, points.length ? Date.parse(points[0].at) : startMs);
  const to = Math.max(endMs, last, from + 1);
  const yMax = niceMax(Math.max(10, ...points.map((p) => p.total)));
  const x = (ms) => PAD.left + ((ms - from) / (to - from)) * (WIDTH - PAD.left - PAD.right);
  const y = (value) => HEIGHT - PAD.bottom - (value / yMax) * (HEIGHT - PAD.top - PAD.bottom);

  let path = `M${x(from).toFixed(1)},${y(0).toFixed(1)}`;
  for (const point of points) {
    path += ` H${x(Date.parse(point.at)).toFixed(1)} V${y(point.total).toFixed(1)}`;
  }
  path += ` H${x(to).toFixed(1)}`;

  const levelAt = (ms) => {
    let level = 0;
    for (const point of points) if (Date.parse(point.at) <= ms) level = point.total;
    return level;
  };
  const asOfClamped = Math.min(Math.max(asOfMs, from), to);
  const asOfX = x(asOfClamped);
  const asOfLevel = levelAt(asOfMs);
  const description = points.length
    ? `Total: ${points.map((p) => `${percent(p.total)} from ${formatInstant(p.at)}`).join('; ')}.`
    : 'No tariff line on all goods so far.';
  /** A label near the right edge is anchored at its end, so that it stays inside the chart. */
  const anchor = (px) => (px > WIDTH / 2 ? 'end' : 'start');
  const nudge = (px) => (px > WIDTH / 2 ? -6 : 6);

  const svg = s(
    'svg',
    {
      class: 'step-chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      width: WIDTH,
      height: HEIGHT,
      role: 'group',
      'aria-labelledby': `${id}-title`,
      'aria-describedby': `${id}-desc`,
    },
    s('title', { id: `${id}-title` }, title),
    s('desc', { id: `${id}-desc` }, description),
    s('line', { class: 'axis', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0) }),
    [yMax, yMax / 2].map((v) =>
      s('line', { class: 'grid', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(v), y2: y(v) }),
    ),
    [yMax, yMax / 2, 0].map((v) =>
      s(
        'text',
        { class: 'tick', x: PAD.left - 6, y: y(v) + 4, 'text-anchor': 'end' },
        v === 0 ? '0%' : percent(v),
      ),
    ),
    dateTicks(from, to, WIDTH - PAD.left - PAD.right).flatMap((t) => [
      s('line', { class: 'tick-mark', x1: x(t.ms), x2: x(t.ms), y1: y(0), y2: y(0) + 4 }),
      s(
        'text',
        { class: 'tick date-tick', x: x(t.ms), y: HEIGHT - 8, 'text-anchor': 'middle' },
        t.label,
      ),
    ]),
    s('path', { class: 'step', d: path }),
    s('line', { class: 'as-of', x1: asOfX, x2: asOfX, y1: PAD.top - 4, y2: y(0) }),
    s('circle', { class: 'as-of-dot', cx: asOfX, cy: y(asOfLevel), r: 4 }),
    // The marker says its day and the level then.
    s(
      'text',
      {
        class: 'as-of-label',
        x: asOfX + nudge(asOfX),
        y: PAD.top - 10,
        'text-anchor': anchor(asOfX),
      },
      `${formatDay(new Date(asOfClamped).toISOString())}: ${percent(asOfLevel)}`,
    ),
    // Each step's value and date, shown on hover and on keyboard focus (Tab).
    points.map((p) => {
      const px = x(Date.parse(p.at));
      const py = y(p.total);
      const said = `${percent(p.total)} from ${formatInstant(p.at)}`;
      return s(
        'g',
        { class: 'step-point', tabindex: 0, role: 'img', 'aria-label': said },
        s('circle', { class: 'hit', cx: px, cy: py, r: 12 }),
        s('circle', { class: 'dot', cx: px, cy: py, r: 3.5 }),
        s(
          'text',
          {
            class: 'value',
            x: px + nudge(px),
            y: Math.max(PAD.top + 12, py - 8),
            'text-anchor': anchor(px),
          },
          said,
        ),
      );
    }),
  );

  const rows = points.map((p) =>
    h('tr', {}, h('td', {}, formatInstant(p.at)), h('td', { class: 'num' }, percent(p.total))),
  );
  return h(
    'figure',
    { class: 'chart' },
    svg,
    h('figcaption', { class: 'visually-hidden' }, title),
    h(
      'details',
      {},
      h('summary', {}, 'Chart data'),
      points.length
        ? h(
            'table',
            {},
            h('caption', { class: 'visually-hidden' }, title),
            h(
              'thead',
              {},
              h('tr', {}, h('th', { scope: 'col' }, 'From'), h('th', { scope: 'col' }, 'Total')),
            ),
            h('tbody', {}, rows),
          )
        : h('p', {}, description),
    ),
  );
}
