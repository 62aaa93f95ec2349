import type { Page } from 'playwright-core';

/** A headless Chromium session: open pages, close it when done. */
export interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Debian's Chromium headless with WebGL and WebGPU on SwiftShader and no background network traffic. */
export function launchBrowser(): Promise<Browser>;

/** Headers that make a page cross-origin isolated, as the wasm backend's threads need. */
export const CROSS_ORIGIN_ISOLATED: Record<string, string>;

/** Serves a folder on 127.0.0.1 at a free port, with `headers` on every response. */
export function serveDir(root: string, headers?: Record<string, string>): Promise<{ url: string; close(): void }>;
