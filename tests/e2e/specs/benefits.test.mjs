// Benefits in a real browser: a clerk proposes a maternity allowance with a preview, a reviewer
// finds it in the queue and approves it, the month's batch is generated from the payments page,
// and after the bank's results the finance view shows the expenditure and the subsidy needed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, RUN, api, token, launch, context, shot, login, idNumber, creditCode } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });


test('a maternity allowance is proposed, approved by another person, paid and seen by finance', async () => {
  const admin = await token('411000', 'admin411000');
  const mother = idNumber('411002', '19930505', RUN - (RUN % 2)); // an even sequence: a woman
  const employer = creditCode('411000', `MB${String(RUN).padStart(7, '0')}`);
  let r = await api('POST', '/api/v1/imports/persons', admin, `身份证号码,姓名\n${mother},孙妈妈\n`, 'text/csv');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  r = await api('POST', '/api/v1/imports/employers', admin, `统一社会信用代码,单位名称,工伤风险类别,登记日期\n${employer},许昌纺织厂${RUN},1,2001-01-01\n`, 'text/csv');
  assert.equal(r.status, 200, JSON.stringify(r.body));
  const clerkToken = await token('411000', 'clerk411000');
  const found = await api('POST', '/api/v1/persons/search', clerkToken, { id_number: mother });
  const personId = found.body.items[0].id;
  const employers = await api('POST', '/api/v1/employers/search', clerkToken, { credit_code: employer });
  const employerId = employers.body.items[0].id;

  // The clerk: preview, then propose.
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await login(page, '411000', 'clerk411000');
  await page.goto(`${BASE}/benefits/new?kind=maternity&person_id=${personId}`);
  await page.fill('#employer_id', String(employerId));
  await page.fill('#event_date', '2026-10-08');
  await page.fill('#employer_avg_wage', '6000');
  await page.check('#channel-post');
  await page.fill('#post_address', '许昌市鄢陵县某村邮政所');
  await Promise.all([page.waitForNavigation(), page.click('#preview')]);
  assert.equal((await page.textContent('#preview-amount')).trim(), '19600.00');
  assert.equal(await page.inputValue('#post_address'), '许昌市鄢陵县某村邮政所', 'input kept after the preview');
  await Promise.all([page.waitForNavigation(), page.click('#propose')]);
  assert.match(page.url(), /\/benefits\/\d+$/);
  const claimUrl = page.url();
  assert.equal(await page.locator('#approve').count(), 0, 'the proposer cannot decide');
  await shot(page, 'benefit-proposed');
  await ctx.close();

  // The reviewer: the queue, the decision.
  const rctx = await context(browser);
  const rpage = await rctx.newPage();
  await login(rpage, '411000', 'reviewer411000');
  await rpage.goto(`${BASE}/reviews`);
  assert.ok((await rpage.textContent('main')).includes('孙妈妈'), 'the proposal waits in the reviewer queue');
  await shot(rpage, 'reviewer-queue');
  await rpage.goto(claimUrl);
  await rpage.fill('#note', '出生医学证明已核');
  await Promise.all([rpage.waitForNavigation(), rpage.click('#approve')]);
  assert.ok((await rpage.textContent('#claim-status')).includes('已批准'));

  // The month's batch from the payments page; the bank's results through the API.
  await rpage.goto(`${BASE}/payments`);
  await rpage.fill('#period', '2026-10');
  await Promise.all([rpage.waitForNavigation(), rpage.click('#generate-form button[type="submit"]')]);
  const batchId = rpage.url().match(/\/payments\/(\d+)$/)[1];
  // Freezing is a POST from the batch page; only then are the files offered.
  await Promise.all([rpage.waitForNavigation(), rpage.click('#freeze-batch')]);
  assert.ok((await rpage.textContent('#batch-status')).includes('已导出'));
  const reviewer = await token('411000', 'reviewer411000');
  const post = await api('GET', `/api/v1/payments/batches/${batchId}/post.csv`, reviewer);
  const line = post.body.split('\n').find((l) => l.includes('孙妈妈')).split(',')[0];
  r = await api('POST', `/api/v1/payments/batches/${batchId}/results`, reviewer, `line_id,status,reason,reference\n${line},paid,,P${RUN}\n`, 'text/csv');
  assert.equal(r.status, 200, JSON.stringify(r.body));

  // Finance: the expenditure and the subsidy it needs.
  await rpage.goto(`${BASE}/finance?year=2026`);
  const ledger = await rpage.textContent('#ledger');
  assert.ok(ledger.includes('19600.00'), ledger);
  await shot(rpage, 'finance-ledger');

  // A new account for the beneficiary: the clerk proposes it on the claim page; it changes nothing
  // until the reviewer approves it there.
  const cctx = await context(browser);
  const cpage = await cctx.newPage();
  await login(cpage, '411000', 'clerk411000');
  await cpage.goto(claimUrl);
  await cpage.selectOption('#cc-channel', 'bank');
  await cpage.fill('#cc-bank', '中国农业银行许昌分行');
  await cpage.fill('#cc-account', '6228480000009999');
  await cpage.fill('#cc-reason', '本人要求改为银行代发');
  await Promise.all([cpage.waitForNavigation(), cpage.click('#propose-change')]);
  const list = await cpage.textContent('#channel-change-list');
  assert.ok(list.includes('待审核') && list.includes('************9999'), list);
  assert.equal(await cpage.locator('[id^="approve-change-"]').count(), 0, 'the proposer cannot decide');
  await cctx.close();
  await rpage.goto(`${BASE}/reviews`);
  assert.ok((await rpage.textContent('main')).includes('发放渠道变更'), 'the change waits in the reviewer queue');
  await rpage.goto(claimUrl);
  await Promise.all([rpage.waitForNavigation(), rpage.click('[id^="approve-change-"]')]);
  const decided = await rpage.textContent('#channel-change-list');
  assert.ok(decided.includes('已生效') && decided.includes('6228480000009999'), decided);
  await shot(rpage, 'channel-change-approved');
  assert.deepEqual(rctx.consoleErrors, []);
  await rctx.close();
});
