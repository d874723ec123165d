// Work injury and a medical bill in a real browser. A Xuchang worker injured on 2026-03-10: the
// clerk records the employer's report with its evidence, proposes the recognition; a reviewer
// approves it; the clerk records the assessment (grade 3, partial care), previews and proposes the
// one-time subsidy (23 × 6,000 = 138,000.00) and the monthly allowance (80 % = 4,800.00); the
// reviewer approves both and the November batch pays the subsidy and the first allowances. Then a
// hospital bill: lines typed, the split previewed (fund 7,480.00), proposed, approved by the reviewer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, RUN, api, token, launch, context, shot, login, idNumber, creditCode } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

test('an injury from report to the first monthly payment, and a hospital bill to the fund share', async () => {
  const admin = await token('411000', 'admin411000');
  const clerkToken = await token('411000', 'clerk411000');
  const code = creditCode('411000', `MC${String(RUN).padStart(7, '0')}`);
  let r = await api('POST', '/api/v1/employers', clerkToken, { credit_code: code, name: `许昌冲压厂${RUN}`, risk_class: 3, registered_on: '2010-05-01' });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const employerId = r.body.id;
  const worker = idNumber('411002', '19860520', RUN + 1);
  r = await api('POST', '/api/v1/enrolments', clerkToken, { person: { id_number: worker, name: '冯工伤' }, employer_id: employerId, start_period: '2026-01',
    declared_wage: '6000', insurance_types: ['pension', 'medical', 'unemployment', 'work_injury'] });
  assert.equal(r.status, 201, JSON.stringify(r.body));
  const personId = r.body.person_id;
  let history = '身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n';
  for (let m = 3; m <= 14; m++) {
    const y = m <= 12 ? 2025 : 2026; const mm = String(m <= 12 ? m : m - 12).padStart(2, '0');
    history += `${worker},${code},工伤,${y}-${mm},6000,42.00,0\n`;
  }
  r = await api('POST', '/api/v1/imports/contributions', admin, history, 'text/csv');
  assert.equal(r.status, 200, JSON.stringify(r.body));

  // The clerk records the report and its evidence, and proposes the recognition.
  const cctx = await context(browser);
  const page = await cctx.newPage();
  await login(page, '411000', 'clerk411000');
  await page.goto(`${BASE}/injury`);
  await Promise.all([page.waitForNavigation(), page.click('#new-report')]);
  await page.fill('#person_id', String(personId));
  await page.fill('#employer_id', String(employerId));
  await page.fill('#accident_date', '2026-03-10');
  await page.selectOption('#reporter', 'employer');
  await page.fill('#reported_on', '2026-03-20');
  await page.fill('#accident', '冲压作业时右手被模具压伤。\n班长在场。');
  await page.fill('#diagnosis', '右手示指、中指离断伤');
  await shot(page, 'injury-report');
  await Promise.all([page.waitForNavigation(), page.click('#report')]);
  assert.match(page.url(), /\/injury\/\d+$/);
  const caseUrl = page.url();
  assert.ok((await page.textContent('#case-status')).includes('已受理'));
  assert.ok((await page.textContent('#case-overdue')).includes('已超过认定期限'), 'the decision was due 2026-05-19');
  await page.setInputFiles('#file', { name: '事故调查报告.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n% 事故调查报告\n') });
  await Promise.all([page.waitForNavigation(), page.click('#upload')]);
  assert.ok((await page.textContent('#document-list')).includes('事故调查报告.pdf'));
  await page.check('#outcome-recognised');
  await page.fill('#reason', '《工伤保险条例》第十四条第（一）项：工作时间、工作场所内因工作原因受到事故伤害。');
  await Promise.all([page.waitForNavigation(), page.click('#propose-recognition')]);
  assert.ok((await page.textContent('#case-status')).includes('待审核'));
  assert.equal(await page.locator('#approve').count(), 0, 'the proposer cannot decide');

  // The reviewer decides.
  const rctx = await context(browser);
  const rpage = await rctx.newPage();
  await login(rpage, '411000', 'reviewer411000');
  await rpage.goto(`${BASE}/injury`);
  assert.ok((await rpage.textContent('#cases')).includes('冯工伤'), 'the case waits in the open list');
  await rpage.goto(caseUrl);
  await rpage.fill('#note', '材料齐全，事实清楚');
  await Promise.all([rpage.waitForNavigation(), rpage.click('#approve')]);
  assert.ok((await rpage.textContent('#case-status')).includes('认定为工伤'));

  // The clerk records the assessment and proposes the benefits with a preview.
  await page.goto(caseUrl);
  await page.selectOption('#grade-input', '3');
  await page.selectOption('#care_level', 'partial');
  await page.fill('#assessed_on', '2026-08-15');
  await page.fill('#board', '许昌市劳动能力鉴定委员会');
  await Promise.all([page.waitForNavigation(), page.click('#record-assessment')]);
  assert.equal((await page.textContent('#grade')).trim(), '3');
  await page.selectOption('#benefit', 'injury_disability');
  await page.fill('#bank_name', '中国工商银行许昌分行');
  await page.fill('#account_no', '6222020200007654321');
  await Promise.all([page.waitForNavigation(), page.click('#preview')]);
  assert.equal((await page.textContent('#preview-amount')).trim(), '138000.00');
  assert.equal(await page.inputValue('#account_no'), '6222020200007654321', 'input kept after the preview');
  await shot(page, 'injury-benefit-preview');
  await Promise.all([page.waitForNavigation(), page.click('#propose')]);
  assert.match(page.url(), /\/benefits\/\d+$/);
  const subsidyUrl = page.url();
  assert.ok((await page.textContent('#claim-amount')).includes('138000.00'));
  await page.goto(caseUrl);
  await page.selectOption('#benefit', 'injury_allowance');
  await page.fill('#bank_name', '中国工商银行许昌分行');
  await page.fill('#account_no', '6222020200007654321');
  await Promise.all([page.waitForNavigation(), page.click('#propose')]);
  const allowanceUrl = page.url();
  assert.ok((await page.textContent('#claim-amount')).includes('4800.00'));

  // The reviewer approves both; the November batch pays the subsidy and September–November.
  for (const url of [subsidyUrl, allowanceUrl]) {
    await rpage.goto(url);
    await Promise.all([rpage.waitForNavigation(), rpage.click('#approve')]);
    assert.ok((await rpage.textContent('#claim-status')).includes('已批准'));
  }
  await rpage.goto(`${BASE}/payments`);
  await rpage.fill('#period', '2026-11');
  await Promise.all([rpage.waitForNavigation(), rpage.click('#generate-form button[type="submit"]')]);
  const batchId = rpage.url().match(/\/payments\/(\d+)$/)[1];
  await Promise.all([rpage.waitForNavigation(), rpage.click('#freeze-batch')]);
  await shot(rpage, 'injury-first-payment');
  const bank = await api('GET', `/api/v1/payments/batches/${batchId}/bank.csv`, await token('411000', 'reviewer411000'));
  const mine = bank.body.split('\n').filter((l) => l.includes('冯工伤'));
  assert.equal(mine.filter((l) => l.includes('138000.00')).length, 1, bank.body);
  assert.equal(mine.filter((l) => l.includes('4800.00')).length, 3, 'September, October and November');

  // A hospital bill: the lines typed, the split previewed, proposed, approved by the reviewer.
  await page.goto(`${BASE}/medical/new?person_id=${personId}`);
  await page.check('#setting-in');
  await page.fill('#hospital', '许昌市中心医院');
  await page.selectOption('#hospital_level', '3');
  await page.fill('#admitted_on', '2026-08-10');
  await page.fill('#bill_date', '2026-08-20');
  await page.fill('#lines_text', 'Z001, 甲, 8000\nY001, 乙, 2000\nX001, 丙, 500');
  await Promise.all([page.waitForNavigation(), page.click('#preview')]);
  assert.equal((await page.textContent('#fig-total')).trim(), '10500.00');
  assert.equal((await page.textContent('#fig-fund')).trim(), '7480.00');
  assert.ok((await page.textContent('#parts')).includes('起付线'));
  await shot(page, 'medical-preview');
  await Promise.all([page.waitForNavigation(), page.click('#propose')]);
  assert.match(page.url(), /\/medical\/\d+$/);
  const billUrl = page.url();
  await rpage.goto(billUrl);
  await Promise.all([rpage.waitForNavigation(), rpage.click('#approve')]);
  assert.ok((await rpage.textContent('#settlement-status')).includes('已结算'));
  await shot(rpage, 'medical-settled');
  assert.deepEqual(cctx.consoleErrors, []);
  assert.deepEqual(rctx.consoleErrors, []);
  await cctx.close();
  await rctx.close();
});
