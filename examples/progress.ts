// A one-line progress bar for training loops (redrawn in place on a terminal).
export class ProgressBar {
  private last = -1;
  constructor(private readonly total: number, private readonly label: string, private readonly width = 30) {}

  update(done: number, info = ''): void {
    const pct = Math.floor((100 * done) / this.total);
    const tty = Boolean(process.stdout.isTTY);
    if (!tty && pct === this.last) return;
    if (!tty && pct < 100 && pct - this.last < 25) return; // a few lines in logs, not hundreds
    this.last = pct;
    const filled = Math.round((this.width * done) / this.total);
    const bar = '='.repeat(Math.max(0, filled - 1)) + (filled > 0 ? (done < this.total ? '>' : '=') : '') + ' '.repeat(this.width - filled);
    const line = `${this.label} [${bar}] ${String(pct).padStart(3)}% ${done}/${this.total} ${info}`;
    if (tty) process.stdout.write(`\r${line}${done === this.total ? '\n' : ''}`);
    else console.log(line);
  }
}
