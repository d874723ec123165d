// A pension transfer from Xuchang to Zhoukou in a real browser, each city's users on their own side:
// Zhoukou's clerk opens it (the contact letter), Xuchang's clerk accepts the letter, produces the
// information and records the funds,
// Xuchang's reviewer approves, and Zhoukou's clerk records the funds and completes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, RUN, api, token, launch, context, shot, login, idNumber, creditCode } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });


async function step(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
  const errors = await page.locator('#transfer-error').allTextContents();
  assert.deepEqual(errors, [], `after ${selector}`);
}

test('a transfer from Xuchang to Zhoukou is completed by the users of both cities', async () => {
  const worker = idNumber('411002', '19790909', RUN);
  const employer = creditCode('411000', `MC${String(RUN).padStart(7, '0')}`);
  const admin = await token('411000', 'admin411000');
  let history = '身份证号码,统一社会信用代码,险种,费款所属期,缴费基数,单位缴费,个人缴费\n';
  for (let m = 1; m <= 12; m++) history += `${worker},${employer},养老,2024-${String(m).padStart(2, '0')},5000,800,400\n`;
  for (const [kind, body] of [
    ['persons', `身份证号码,姓名\n${worker},陈迁移\n`],
    ['employers', `统一社会信用代码,单位名称,工伤风险类别,登记日期\n${employer},许昌机床厂${RUN},2,2001-01-01\n`],
    ['contributions', history],
    ['enrolments', `身份证号码,统一社会信用代码,险种,参保年月\n${worker},${employer},养老,2024-01\n`],
  ]) {
    const r = await api('POST', `/api/v1/imports/${kind}`, admin, body, 'text/csv');
    assert.equal(r.status, 200, `${kind}: ${JSON.stringify(r.body)}`);
  }
  const zk = await token('411600', 'clerk411600');
  const person = await api('POST', '/api/v1/persons', zk, { id_number: worker, name: '陈迁移' });
  assert.equal(person.status, 201, JSON.stringify(person.body));

  // Zhoukou opens the transfer-in.
  const b = await (await context(browser)).newPage();
  await login(b, '411600', 'clerk411600');
  await b.goto(`${BASE}/transfers`);
  await b.selectOption('#from_city', '411000');
  await b.fill('#person_id', String(person.body.id));
  await step(b, '#open-form button[type="submit"]');
  assert.ok((await b.textContent('#transfers')).includes('陈迁移'));

  assert.ok((await b.textContent('#transfers')).includes('联系函待答复'), 'a letter until Xuchang answers');

  // Xuchang's clerk accepts the letter, produces the information and records the funds; the
  // reviewer approves.
  const a = await (await context(browser)).newPage();
  await login(a, '411000', 'clerk411000');
  await a.goto(`${BASE}/transfers`);
  const row = (p) => p.locator('#transfers tr', { hasText: '陈迁移' });
  assert.equal(await row(a).locator('.js-info').count(), 0, 'no information before the letter is accepted');
  await Promise.all([a.waitForNavigation(), row(a).locator('.js-accept').click()]);
  assert.deepEqual(await a.locator('#transfer-error').allTextContents(), []);
  await Promise.all([a.waitForNavigation(), row(a).locator('.js-info').click()]);
  assert.equal(await row(a).locator('.js-approve').count(), 0, 'the clerk who produced it cannot approve it');
  await Promise.all([a.waitForNavigation(), row(a).locator('.js-send').click()]);
  const r = await (await context(browser)).newPage();
  await login(r, '411000', 'reviewer411000');
  await r.goto(`${BASE}/transfers`);
  await Promise.all([r.waitForNavigation(), row(r).locator('.js-approve').click()]);

  // Zhoukou records the funds and completes.
  await b.goto(`${BASE}/transfers`);
  await Promise.all([b.waitForNavigation(), row(b).locator('.js-receive').click()]);
  await Promise.all([b.waitForNavigation(), row(b).locator('.js-complete').click()]);
  assert.ok((await row(b).textContent()).includes('已办结'), await row(b).textContent());
  await shot(b, 'transfer-completed');
  await b.goto(`${BASE}/persons/${person.body.id}`);
  assert.ok((await b.textContent('main')).includes('许昌'), 'the timeline names the city the years came from');
  await shot(b, 'person-timeline-transferred');
});
