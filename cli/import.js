// @ts-check
'use strict';

const { readFileSync } = require('node:fs');
const { parseDevelopments } = require('./ndjson');
const { refusalReason } = require('./http');
const { Progress } = require('./progress');

/** The contract's limit on one batch. */
const BATCH_MAX = 1000;

/** Answers that stop the whole import: nothing else would fare better. */
const FATAL_STATUSES = new Set([401, 403, 404]);

class ImportStopped extends Error {}

/**
 * @typedef {import('./ndjson').Entry} Entry
 * @typedef {import('./ndjson').Refusal} Refusal
 * @typedef {{
 *   file: string, negotiationId: string, url: string,
 *   lines: number, opened: boolean, openingSkipped: boolean,
 *   recorded: number, alreadyRecorded: number,
 *   refused: Refusal[], stopped: string | null, revision: number | null
 * }} ImportSummary
 */

/**
 * Imports an NDJSON file into a negotiation over HTTP, in batches through POST …/events/batch.
 * A batch is all or nothing, so a refused batch is posted again in smaller parts, down to single
 * lines, to find the lines at fault (postInParts); the others are recorded. With `strict`, the first refusal stops the import: what came
 * before it stays recorded, nothing after it is sent.
 *
 * @param {import('./http').ParleyClient} client
 * @param {{ file: string, negotiationId: string, batchSize?: number, strict?: boolean, freshIds?: boolean, quiet?: boolean, stderr?: NodeJS.WriteStream }} options
 * @returns {Promise<ImportSummary>}
 */
async function importFile(client, options) {
  const { file, negotiationId, strict = false } = options;
  const batchSize = Math.min(Math.max(1, options.batchSize ?? 500), BATCH_MAX);
  const parsed = parseDevelopments(readFileSync(file, 'utf8'), {
    negotiationId,
    freshIds: options.freshIds,
  });
  /** @type {ImportSummary} */
  const summary = {
    file,
    negotiationId,
    url: client.baseUrl,
    lines: parsed.lines,
    opened: false,
    openingSkipped: false,
    recorded: 0,
    alreadyRecorded: 0,
    refused: [...parsed.refused],
    stopped: null,
    revision: null,
  };
  const path = `/negotiations/${encodeURIComponent(negotiationId)}`;
  const progress = new Progress({
    total: parsed.lines,
    label: 'lines',
    quiet: options.quiet,
    stream: options.stderr,
  });
  let done = parsed.refused.length + (parsed.opening ? 1 : 0);
  const report = () => progress.update(done, summary.refused.length);

  try {
    if (strict && parsed.refused.length > 0) {
      throw new ImportStopped(`line ${parsed.refused[0]?.line} is not a development`);
    }
    await ensureNegotiation(client, path, negotiationId, parsed.opening, summary);
    report();
    for (let start = 0; start < parsed.entries.length; start += batchSize) {
      const batch = parsed.entries.slice(start, start + batchSize);
      const answer = await client.post(`${path}/events/batch`, {
        events: batch.map((e) => e.development),
      });
      if (answer.status === 200 || answer.status === 201) {
        const fresh = answer.status === 201;
        if (fresh) summary.recorded += batch.length;
        else summary.alreadyRecorded += batch.length;
        summary.revision = answer.body.revision;
      } else if (FATAL_STATUSES.has(answer.status) || answer.status >= 500) {
        throw new ImportStopped(refusalReason(answer));
      } else if (strict) {
        summary.refused.push(...refusalsOfBatch(batch, answer));
        throw new ImportStopped(
          `batch of lines ${batch[0]?.line}–${batch[batch.length - 1]?.line} refused; nothing of it was recorded`,
        );
      } else {
        await postInParts(client, path, batch, summary, (lines) => {
          done += lines;
          report();
        });
        continue;
      }
      done += batch.length;
      report();
    }
  } catch (error) {
    if (!(error instanceof ImportStopped)) throw error;
    summary.stopped = error.message;
  } finally {
    progress.finish();
  }
  return summary;
}

/**
 * Opens the negotiation from the file's NegotiationOpened line when it does not exist yet.
 * @param {import('./http').ParleyClient} client
 * @param {string} path
 * @param {string} negotiationId
 * @param {Entry | undefined} opening
 * @param {ImportSummary} summary
 */
async function ensureNegotiation(client, path, negotiationId, opening, summary) {
  const existing = await client.get(path);
  if (existing.status === 200) {
    summary.revision = existing.body.revision;
    summary.openingSkipped = Boolean(opening);
    return;
  }
  if (existing.status !== 404) throw new ImportStopped(refusalReason(existing));
  if (!opening) {
    throw new ImportStopped(
      `negotiation ${negotiationId} does not exist; open it first (POST /negotiations) or start the file with a NegotiationOpened line`,
    );
  }
  const { occurredAt, data = {} } = opening.development;
  const answer = await client.post('/negotiations', {
    id: negotiationId,
    title: data.title,
    parties: data.parties,
    ...(occurredAt !== undefined ? { openedAt: occurredAt } : {}),
    ...(data.description !== undefined ? { description: data.description } : {}),
  });
  if (answer.status !== 201) {
    summary.refused.push({ line: opening.line, reason: refusalReason(answer) });
    throw new ImportStopped(`could not open negotiation ${negotiationId}`);
  }
  summary.opened = true;
  summary.revision = 0;
}

/**
 * Finds the lines at fault in a refused batch by halving it: each half is posted as a batch (the
 * first before the second, so order is kept), a refused half is halved again, down to single
 * lines posted one by one through POST …/events. The good lines are recorded on the way; for k
 * bad lines in a batch of n this takes about 2·k·log2(n) requests instead of n.
 * @param {import('./http').ParleyClient} client
 * @param {string} path
 * @param {Entry[]} entries
 * @param {ImportSummary} summary
 * @param {(lines: number) => void} onLines
 */
async function postInParts(client, path, entries, summary, onLines) {
  if (entries.length === 1) {
    const entry = /** @type {Entry} */ (entries[0]);
    const answer = await client.post(`${path}/events`, entry.development);
    if (answer.status === 201) {
      summary.recorded++;
      summary.revision = answer.body.revision;
    } else if (answer.status === 200) {
      summary.alreadyRecorded++;
    } else if (FATAL_STATUSES.has(answer.status) || answer.status >= 500) {
      throw new ImportStopped(refusalReason(answer));
    } else {
      summary.refused.push({ line: entry.line, reason: refusalReason(answer) });
    }
    onLines(1);
    return;
  }
  const middle = Math.ceil(entries.length / 2);
  for (const half of [entries.slice(0, middle), entries.slice(middle)]) {
    const answer =
      half.length === 1
        ? null
        : await client.post(`${path}/events/batch`, { events: half.map((e) => e.development) });
    if (answer && (answer.status === 200 || answer.status === 201)) {
      if (answer.status === 201) summary.recorded += half.length;
      else summary.alreadyRecorded += half.length;
      summary.revision = answer.body.revision;
      onLines(half.length);
    } else if (answer && (FATAL_STATUSES.has(answer.status) || answer.status >= 500)) {
      throw new ImportStopped(refusalReason(answer));
    } else {
      await postInParts(client, path, half, summary, onLines);
    }
  }
}

/**
 * The lines a refused batch names (`events[3].data.rate` is the batch's fourth line), or the
 * whole batch's range when the answer names none.
 * @param {Entry[]} batch
 * @param {import('./http').Answer} answer
 * @returns {Refusal[]}
 */
function refusalsOfBatch(batch, answer) {
  const errors = Array.isArray(answer.body?.errors) ? answer.body.errors : [];
  /** @type {Map<number, string[]>} */
  const byLine = new Map();
  for (const error of errors) {
    const match = /^events\[(\d+)\]\.?(.*)$/.exec(String(error.path));
    const entry = match ? batch[Number(match[1])] : undefined;
    if (!entry || !match) continue;
    const list = byLine.get(entry.line) ?? [];
    list.push(`${match[2] || 'development'}: ${error.message}`);
    byLine.set(entry.line, list);
  }
  if (byLine.size === 0) {
    return [
      {
        line: batch[0]?.line ?? 0,
        reason: `${refusalReason(answer)} (somewhere in lines ${batch[0]?.line}–${batch[batch.length - 1]?.line})`,
      },
    ];
  }
  const rule = answer.body?.type?.startsWith('/problems/') ? ` ${answer.body.type.slice(10)}` : '';
  return [...byLine].map(([line, messages]) => ({
    line,
    reason: `${answer.status}${rule}: ${messages.join('; ')}`,
  }));
}

/**
 * The summary, for people.
 * @param {ImportSummary} s
 * @returns {string}
 */
function formatImportSummary(s) {
  const out = [
    `Imported ${s.file} into negotiation ${s.negotiationId} at ${s.url}`,
    `  lines read         ${s.lines}`,
  ];
  if (s.opened) out.push(`  negotiation        opened from its NegotiationOpened line`);
  if (s.openingSkipped)
    out.push(`  negotiation        already existed; its NegotiationOpened line was not needed`);
  out.push(
    `  accepted           ${s.recorded + s.alreadyRecorded + (s.opened || s.openingSkipped ? 1 : 0)} (${s.recorded} recorded now, ${s.alreadyRecorded} already recorded)`,
  );
  out.push(`  refused            ${s.refused.length}`);
  if (s.revision !== null) out.push(`  revision now       ${s.revision}`);
  if (s.refused.length) {
    out.push('', 'Refused lines:');
    for (const r of [...s.refused].sort((a, b) => a.line - b.line))
      out.push(`  line ${r.line}: ${r.reason}`);
  }
  if (s.stopped) out.push('', `Stopped: ${s.stopped}`);
  return out.join('\n');
}

module.exports = { importFile, formatImportSummary, refusalsOfBatch };
