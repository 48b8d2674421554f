// A small SVG step chart of one tariff pair's total over time, drawn by hand (no library):
// the level holds until the next change. A vertical rule marks the chosen day. The same numbers
// are given as a table for screen readers and for copying.

import { h, s } from './dom.js';
import { formatInstant, percent } from './format.js';

const WIDTH = 320;
const HEIGHT = 132;
const PAD = { left: 34, right: 8, top: 10, bottom: 22 };

/** A round upper bound for the y axis. */
function niceMax(value) {
  const steps = [10, 25, 50, 100, 150, 200, 300, 500, 1000];
  return steps.find((step) => step >= value) ?? Math.ceil(value / 100) * 100;
}

/**
 * @param {{at: string, total: number}[]} points the step series, oldest first
 * @param {{ id: string, title: string, startMs: number, endMs: number, asOfMs: number }} options
 */
export function stepChart(points, { id, title, startMs, endMs, asOfMs }) {
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
  const asOfX = x(Math.min(Math.max(asOfMs, from), to));
  const description = points.length
    ? `Total: ${points.map((p) => `${percent(p.total)} from ${formatInstant(p.at)}`).join('; ')}.`
    : 'No tariff line on all goods so far.';

  const year = (ms) => new Date(ms).getUTCFullYear();
  const tickLabel = (ms) =>
    new Date(ms).toLocaleDateString('en-GB', { month: 'short', timeZone: 'UTC' }) +
    (year(from) !== year(to) ? ` ${year(ms)}` : '');

  const svg = s(
    'svg',
    {
      class: 'step-chart',
      viewBox: `0 0 ${WIDTH} ${HEIGHT}`,
      role: 'img',
      'aria-labelledby': `${id}-title ${id}-desc`,
      preserveAspectRatio: 'none',
    },
    s('title', { id: `${id}-title` }, title),
    s('desc', { id: `${id}-desc` }, description),
    s('line', { class: 'axis', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(0), y2: y(0) }),
    s('line', { class: 'grid', x1: PAD.left, x2: WIDTH - PAD.right, y1: y(yMax), y2: y(yMax) }),
    s('line', {
      class: 'grid',
      x1: PAD.left,
      x2: WIDTH - PAD.right,
      y1: y(yMax / 2),
      y2: y(yMax / 2),
    }),
    s(
      'text',
      { class: 'tick', x: PAD.left - 4, y: y(yMax) + 4, 'text-anchor': 'end' },
      percent(yMax),
    ),
    s(
      'text',
      { class: 'tick', x: PAD.left - 4, y: y(yMax / 2) + 4, 'text-anchor': 'end' },
      percent(yMax / 2),
    ),
    s('text', { class: 'tick', x: PAD.left - 4, y: y(0) + 4, 'text-anchor': 'end' }, '0'),
    s(
      'text',
      { class: 'tick', x: PAD.left, y: HEIGHT - 6, 'text-anchor': 'start' },
      tickLabel(from),
    ),
    s(
      'text',
      { class: 'tick', x: WIDTH - PAD.right, y: HEIGHT - 6, 'text-anchor': 'end' },
      tickLabel(to),
    ),
    s('path', { class: 'step', d: path }),
    s('line', { class: 'as-of', x1: asOfX, x2: asOfX, y1: PAD.top - 4, y2: y(0) }),
    s('circle', { class: 'as-of-dot', cx: asOfX, cy: y(levelAt(asOfMs)), r: 3.5 }),
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
