// @ts-check
'use strict';

/**
 * Progress on stderr: a redrawn bar on a terminal, a plain line per step otherwise (CI logs,
 * pipes), nothing with --quiet.
 */
class Progress {
  /**
   * @param {{ total: number, label: string, stream?: NodeJS.WriteStream, quiet?: boolean }} options
   */
  constructor({ total, label, stream = process.stderr, quiet = false }) {
    this.total = total;
    this.label = label;
    this.stream = stream;
    this.quiet = quiet;
    this.tty = Boolean(stream.isTTY);
    this.done = 0;
    this.refused = 0;
  }

  /** @param {number} done @param {number} refused */
  update(done, refused) {
    this.done = done;
    this.refused = refused;
    if (this.quiet) return;
    const total = Math.max(this.total, 1);
    const suffix = `${done}/${this.total} ${this.label}${refused ? `, ${refused} refused` : ''}`;
    if (this.tty) {
      const width = Math.max(10, Math.min(40, (this.stream.columns ?? 80) - suffix.length - 12));
      const filled = Math.round((done / total) * width);
      const percent = String(Math.floor((done / total) * 100)).padStart(3);
      this.stream.write(
        `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${percent}% ${suffix}\x1b[K`,
      );
    } else {
      this.stream.write(`progress: ${suffix}\n`);
    }
  }

  finish() {
    if (!this.quiet && this.tty) this.stream.write('\n');
  }
}

module.exports = { Progress };
