/**
 * The dashboard page and its static files, shipped in the package under
 * `src/dashboard/assets/` and read once into memory.
 * @module
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';

/** One file served. */
interface Asset {
  readonly type: string;
  readonly body: Buffer;
}

/** URL path → file under `assets/`, with its content type. */
const FILES: Readonly<Record<string, readonly [file: string, type: string]>> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/dashboard/dashboard.css': ['dashboard.css', 'text/css; charset=utf-8'],
  '/dashboard/dashboard.js': ['dashboard.js', 'text/javascript; charset=utf-8'],
};

/** Scripts, styles and the WebSocket from this origin only; nothing inline, no framing. */
const CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "connect-src 'self'",
  "img-src 'self' data:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * The directory of the files. This module runs from `src/dashboard/` (sources) or
 * `dist/dashboard/` (build); both are two levels below the package, and the files stay in `src`.
 */
const ASSETS_DIR = new URL('../../src/dashboard/assets/', import.meta.url);

/** The dashboard's files, read once. */
export class DashboardAssets {
  readonly #assets = new Map<string, Asset>();

  /** Reads the files. @throws if the package's `src/dashboard/assets/` is missing */
  constructor() {
    for (const [path, [file, type]] of Object.entries(FILES)) {
      this.#assets.set(path, { type, body: readFileSync(new URL(file, ASSETS_DIR)) });
    }
  }

  /** Answers GET and HEAD of the dashboard's paths and returns true; false for anything else. */
  handle(req: IncomingMessage, res: ServerResponse): boolean {
    if (req.method !== 'GET' && req.method !== 'HEAD') return false;
    const asset = this.#assets.get(pathOf(req));
    if (asset === undefined) return false;
    res.writeHead(200, {
      'Content-Type': asset.type,
      'Content-Length': asset.body.length,
      'Cache-Control': 'no-cache',
      'Content-Security-Policy': CSP,
      'X-Content-Type-Options': 'nosniff',
      'Referrer-Policy': 'no-referrer',
    });
    res.end(req.method === 'HEAD' ? undefined : asset.body);
    return true;
  }
}

/** The path of a request's URL, or `''` when it cannot be parsed. */
export function pathOf(req: IncomingMessage): string {
  try {
    return new URL(req.url ?? '/', 'http://localhost').pathname;
  } catch {
    return '';
  }
}
