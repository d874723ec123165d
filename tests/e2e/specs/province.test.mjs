// The province tier in a real browser: a supervisor's dashboard (aggregates only) and a platform
// administrator onboarding a city through its checklist.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, context, shot, login } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('a supervisor sees every city in aggregate and cannot open person pages', async () => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await login(page, '410000', 'supervisor');
  await page.goto(`${BASE}/province`);
  const body = await page.textContent('main');
  for (const city of ['许昌市', '周口市', '鹤壁市', '济源市']) assert.ok(body.includes(city), city);
  assert.ok(await page.locator('svg[role="img"]').count() >= 0);
  await shot(page, 'province-dashboard');
  await page.click('a[href="/province?sort=insured"]');
  assert.match(page.url(), /sort=insured/);
  const res = await page.goto(`${BASE}/persons`);
  assert.equal(res.status(), 403);
  await ctx.close();
});

test('a platform administrator starts onboarding a city and ticks its checklist', async () => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await login(page, '410000', 'ops');
  await page.goto(`${BASE}/admin/tenants`);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/tenants/410100/start"] button')]);
  const notice = await page.textContent('main');
  assert.ok(notice.includes('admin410100'), 'the first city administrator and its one-time password');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/tenants/410100/tick/rules_reviewed"] button')]);
  const after = await page.textContent('#city-410100 + p, main');
  assert.ok(after.includes('ops'), 'who ticked it');
  await page.fill('#reason-410100-pilot', '第二批试点');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/admin/tenants/410100/status/pilot"] button')]);
  assert.ok((await page.textContent('main')).includes('试点'));
  await shot(page, 'onboarding');
  await ctx.close();
});
