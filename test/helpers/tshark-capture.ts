/**
 * A live tshark capture on the loopback interface for one TCP port, for the interop tests. It starts
 * `tshark -i lo -f "tcp port P" -w FILE -P -l`, waits until tshark reports "Capturing on", then until a
 * probe connection to the port shows up in tshark's packet output (the capture filter is really active),
 * and stops the same way: a last probe marks the end, so every packet before it is in the file when tshark
 * gets SIGINT. No fixed sleeps: every wait is on tshark's output, bounded by a timeout.
 * Only 127.0.0.1 is used.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import * as net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Why tshark cannot capture here (`missing`: not installed; `permission`: not root and dumpcap has no
 * capture capabilities), or undefined when it can.
 */
export function tsharkUnavailable(): { kind: 'missing' | 'permission'; reason: string } | undefined {
  const v = spawnSync('tshark', ['--version'], { stdio: 'ignore' });
  if (v.error || v.status !== 0) return { kind: 'missing', reason: 'tshark is not installed (apt-get install tshark)' };
  if (process.getuid?.() === 0) return undefined;
  const caps = spawnSync('getcap', ['/usr/bin/dumpcap'], { encoding: 'utf8' });
  if (caps.status === 0 && /cap_net_raw/.test(caps.stdout)) return undefined;
  return {
    kind: 'permission',
    reason: 'a live capture on lo needs root (or dumpcap with cap_net_raw,cap_net_admin); this test runs as a normal user',
  };
}

/** A running capture. */
export class TsharkCapture {
  private stdout = '';
  private stderr = '';
  private exited: Promise<number | null>;
  private listeners = new Set<() => void>();

  private constructor(
    private readonly child: ChildProcess,
    /** The pcapng file being written. */
    readonly file: string,
    private readonly dir: string,
    /** The captured TCP port on 127.0.0.1. */
    readonly port: number,
  ) {
    child.stdout?.on('data', (d: Buffer) => this.append('stdout', d));
    child.stderr?.on('data', (d: Buffer) => this.append('stderr', d));
    this.exited = new Promise((resolve) => child.once('exit', (code) => resolve(code)));
    void this.exited.then(() => this.notify());
  }

  /** Starts capturing `tcp port <port>` on `lo`; resolves once packets on that port are really captured. */
  static async start(port: number, timeoutMs = 20_000): Promise<TsharkCapture> {
    const dir = mkdtempSync(join(tmpdir(), 'udskit-tshark-'));
    const file = join(dir, 'capture.pcapng');
    const child = spawn('tshark', ['-i', 'lo', '-f', `tcp port ${port}`, '-w', file, '-P', '-l', '-n'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const cap = new TsharkCapture(child, file, dir, port);
    try {
      if (!(await cap.waitFor(() => cap.stderr.includes('Capturing on'), timeoutMs))) {
        throw new Error(`tshark did not start capturing within ${timeoutMs} ms: ${cap.stderr.trim()}`);
      }
      // "Capturing on" comes before the filter is attached: probe until a probe is seen (bounded).
      for (let i = 0; i < 50; i++) {
        if (await cap.probeSeen(400)) return cap;
        if (child.exitCode !== null) break;
      }
      throw new Error(`tshark does not see connections to 127.0.0.1:${port}: ${cap.stderr.trim()}`);
    } catch (e) {
      await cap.stop().catch(() => undefined);
      cap.cleanup();
      throw e;
    }
  }

  /** Makes sure every packet sent so far is in the file, then stops tshark (SIGINT to its pid). */
  async stop(timeoutMs = 20_000): Promise<void> {
    if (this.child.exitCode === null) {
      for (let i = 0; i < 10 && !(await this.probeSeen(1000)); i++);
      this.child.kill('SIGINT');
      const exited = await Promise.race([this.exited.then(() => true), new Promise<boolean>((r) => setTimeout(() => r(false), timeoutMs).unref())]);
      if (!exited) this.child.kill('SIGKILL');
    }
  }

  /** Removes the temporary folder and the capture file. */
  cleanup(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }

  /** What tshark printed on stderr (for failure messages). */
  get log(): string {
    return this.stderr;
  }

  /** Opens and closes one TCP connection to the port; true once tshark printed a packet of it. */
  private async probeSeen(withinMs: number): Promise<boolean> {
    const localPort = await new Promise<number | undefined>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: this.port }, () => {
        const p = s.localPort;
        s.end();
        resolve(p);
      });
      s.on('error', () => resolve(undefined));
    });
    if (localPort === undefined) return false;
    // -n: numeric ports; a summary line reads "... 127.0.0.1 → 127.0.0.1 TCP 74 <localPort> → <port> [SYN] ...".
    const marker = new RegExp(`\\b${localPort} (→|->) ${this.port}\\b`);
    return this.waitFor(() => marker.test(this.stdout), withinMs);
  }

  private append(which: 'stdout' | 'stderr', d: Buffer): void {
    if (which === 'stdout') this.stdout += d.toString();
    else this.stderr += d.toString();
    this.notify();
  }

  private notify(): void {
    for (const l of [...this.listeners]) l();
  }

  /** Resolves true when `cond` holds (checked on each output), false after `ms` or when tshark exits. */
  private waitFor(cond: () => boolean, ms: number): Promise<boolean> {
    if (cond()) return Promise.resolve(true);
    return new Promise((resolve) => {
      const done = (v: boolean): void => {
        clearTimeout(timer);
        this.listeners.delete(check);
        resolve(v);
      };
      const check = (): void => {
        if (cond()) done(true);
        else if (this.child.exitCode !== null) done(false);
      };
      const timer = setTimeout(() => done(false), ms);
      this.listeners.add(check);
    });
  }
}

/** Runs `tshark -r file -d tcp.port==P,doip` with `args` and returns stdout (throws with stderr on failure). */
export function tsharkRead(file: string, port: number, args: readonly string[]): string {
  const r = spawnSync('tshark', ['-r', file, '-n', '-d', `tcp.port==${port},doip`, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`tshark -r failed (${r.status}): ${r.stderr}`);
  return r.stdout;
}
