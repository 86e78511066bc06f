// Which Chromium the browser suites drive, and what they say when it is missing.
import { describe, it, expect, vi } from 'vitest';
import { browserSkipReason, chromiumPath } from './chromium.js';

describe('the browser suites find Chromium', () => {
  it("at Debian's path, unless CHROMIUM_PATH names another", () => {
    expect(chromiumPath({})).toBe('/usr/bin/chromium');
    expect(chromiumPath({ CHROMIUM_PATH: '/opt/chrome/chrome' })).toBe('/opt/chrome/chrome');
  });

  it('outside CI, a missing browser skips with a message naming the variable and the path', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    try {
      expect(browserSkipReason('x', { CHROMIUM_PATH: '/no/such/chromium' }))
        .toBe('$CHROMIUM_PATH (/no/such/chromium) not found (apt-get install -y chromium); x is skipped outside CI');
    } finally {
      warn.mockRestore();
    }
  });

  it('under CI, a missing browser fails and says how to get one', () => {
    expect(() => browserSkipReason('x', { CHROMIUM_PATH: '/no/such/chromium', CI: 'true' }))
      .toThrow("$CHROMIUM_PATH (/no/such/chromium) not found, and CI is set: CI must install Debian's chromium");
  });
});
