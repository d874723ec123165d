// Shared helpers for the browser tests: the browser, logins, valid identity numbers and credit codes.
import { chromium } from 'playwright-core';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

export const BASE = process.env.JINBAO_E2E_URL ?? 'http://127.0.0.1:18080';
export const PASSWORD = process.env.JINBAO_E2E_PASSWORD ?? 'E2e-pass-2026';
const ARTIFACTS = process.env.JINBAO_E2E_ARTIFACTS ?? join(process.cwd(), 'test-artifacts');
export const SHOTS = join(ARTIFACTS, 'screenshots');
mkdirSync(SHOTS, { recursive: true });

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A fresh browser context at 1366×768 in Chinese, with console errors collected. */
export async function context(browser, opts = {}) {
  const ctx = await browser.newContext({ viewport: { width: 1366, height: 768 }, locale: 'zh-CN', ...opts });
  ctx.consoleErrors = [];
  ctx.on('page', (p) => p.on('console', (m) => { if (m.type() === 'error') ctx.consoleErrors.push(m.text()); }));
  return ctx;
}

export async function shot(page, name) {
  await page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
}

export async function login(page, tenant, username) {
  await page.goto(`${BASE}/login`);
  await page.selectOption('select[name="tenant"]', tenant);
  await page.fill('input[name="username"]', username);
  await page.fill('input[name="password"]', PASSWORD);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/login"] button[type="submit"]')]);
}

const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
export function idNumber(area, birth, seq) {
  const first = `${area}${birth}${String(seq).padStart(3, '0')}`;
  const sum = [...first].reduce((s, d, i) => s + Number(d) * ID_WEIGHTS[i], 0);
  return first + '10X98765432'[sum % 11];
}

const CC_ALPHABET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const CC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
export function creditCode(area, org) {
  const first = `91${area}${org}`;
  const sum = [...first].reduce((s, c, i) => s + CC_ALPHABET.indexOf(c) * CC_WEIGHTS[i], 0);
  return first + CC_ALPHABET[(31 - (sum % 31)) % 31];
}

/** A unique-enough sequence for this run. */
export const RUN = Math.floor(Date.now() / 1000) % 900 + 50;

/** A JSON (or text) API call with an optional bearer token; the body parsed when it is JSON. */
export async function api(method, path, token, body, type = 'application/json') {
  const res = await fetch(`${BASE}${path}`, {
    method,
    headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : (type === 'application/json' ? JSON.stringify(body) : body),
  });
  const text = await res.text();
  return { status: res.status, body: text.startsWith('{') ? JSON.parse(text) : text };
}

/** A bearer token for a test user (password `PASSWORD`). */
export async function token(tenant, username) {
  const r = await api('POST', '/api/v1/auth/login', null, { tenant, username, password: PASSWORD });
  if (r.status !== 200) throw new Error(`login ${tenant}/${username}: ${JSON.stringify(r.body)}`);
  return r.body.token;
}
