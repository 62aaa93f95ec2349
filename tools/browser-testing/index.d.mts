import type { Page } from 'playwright-core';

/** A headless Chromium session: open pages, close it when done. */
export interface Browser {
  newPage(): Promise<Page>;
  close(): Promise<void>;
}

/** Launches Debian's Chromium headless with WebGL and WebGPU on SwiftShader and no background network traffic. */
export function launchBrowser(): Promise<Browser>;

/** Serves a folder on 127.0.0.1 at a free port. */
export function serveDir(root: string): Promise<{ url: string; close(): void }>;
