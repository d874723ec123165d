// Online service in a real browser. Li, the accountant of a Xuchang employer: the clerk opens her
// account, she changes the one-time password, hires a new employee through the one form with the
// preview, uploads the yearly wage declaration, reads the month's statement and prints a
// certificate. A person: the clerk prints the activation letter and records the card; the person
// activates, reads the record, prints the yearly statement (A4 PDF) and reports the card lost.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, context, shot, login, idNumber, creditCode, RUN, api, token } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const PERIOD = '2026-09';

async function waitJob(t, id) {
  for (let i = 0; i < 200; i++) {
    const r = await api('GET', `/api/v1/jobs/${id}`, t);
    if (r.body.status === 'done') return;
    if (r.body.status === 'failed') throw new Error(JSON.stringify(r.body));
    await new Promise((res) => setTimeout(res, 100));
  }
  throw new Error(`job ${id} did not finish`);
}

test("Li's day: account, one-form hire with preview, declaration, statement, certificate", async () => {
  const t = await token('411000', 'clerk411000');
  const code = creditCode('411000', `MB${String(RUN).padStart(7, '0')}`);
  const employer = await api('POST', '/api/v1/employers', t, { credit_code: code, name: '许昌网办示范厂', risk_class: 2, registered_on: '2020-01-15' });
  assert.equal(employer.status, 201, JSON.stringify(employer.body));
  const eid = employer.body.id;
  // The clerk opens the account on the employer's page and hands over the notice.
  const clerk = await context(browser);
  const cpage = await clerk.newPage();
  await login(cpage, '411000', 'clerk411000');
  await cpage.goto(`${BASE}/employers/${eid}`);
  await cpage.fill('#acc-login', `li${RUN}`);
  await cpage.fill('#acc-name', '李会计');
  await cpage.fill('#acc-phone', '13800000000');
  await Promise.all([cpage.waitForNavigation(), cpage.click('#open-account')]);
  const oneTime = (await cpage.textContent('#letter-password')).trim();
  assert.ok(oneTime.length >= 10, 'a one-time password on the notice');
  await shot(cpage, 'portal-account-letter');

  const li = await context(browser);
  const page = await li.newPage();
  await page.goto(`${BASE}/portal/login`);
  await page.selectOption('select[name="tenant"]', '411000');
  await page.fill('#login', `LI${RUN}`);
  await page.fill('#password', oneTime);
  await shot(page, 'portal-login');
  await Promise.all([page.waitForNavigation(), page.click('#portal-login')]);
  assert.match(page.url(), /\/portal\/password$/, 'the one-time password is changed first');
  await page.fill('#current', oneTime);
  await page.fill('#new', 'Li-kuaiji-2026');
  await page.fill('#confirm', 'Li-kuaiji-2026');
  await Promise.all([page.waitForNavigation(), page.click('#change-password')]);
  assert.equal(new URL(page.url()).pathname, '/portal');
  assert.ok((await page.textContent('main')).includes('许昌网办示范厂'));
  await shot(page, 'portal-employer-home');

  // The one form: preview, then submit.
  const hire = idNumber('411002', '19960606', RUN);
  await page.click('#task-hire');
  await page.waitForURL(/\/portal\/hire$/);
  await page.fill('#id_number', hire);
  await page.fill('#name', '新同事');
  await page.fill('#start_period', PERIOD);
  await page.fill('#declared_wage', '5000');
  await page.fill('#hire_date', `${PERIOD}-01`);
  await Promise.all([page.waitForNavigation(), page.click('button[value="preview"]')]);
  const preview = await page.textContent('#preview');
  for (const amount of ['5000.00', '800.00', '400.00', '1770.00']) assert.ok(preview.includes(amount), `preview shows ${amount}`);
  await shot(page, 'portal-hire-preview');
  await Promise.all([page.waitForNavigation(), page.click('#enrol-submit')]);
  assert.match(page.url(), /\/portal\/employees\?flash=hired/);
  assert.ok((await page.textContent('#roster')).includes('新同事'));
  await shot(page, 'portal-roster');

  // The yearly declaration, uploaded as Excel saves CSV.
  await page.goto(`${BASE}/portal/declaration`);
  await page.fill('#base_year', '2027');
  await page.setInputFiles('#file', { name: 'shenbao.csv', mimeType: 'text/csv', buffer: Buffer.from(`身份证号码,申报工资\r\n${hire},6000\r\n`) });
  await Promise.all([page.waitForNavigation(), page.click('form[action="/portal/declaration"] button[type="submit"]')]);
  assert.ok((await page.textContent('#report')).includes('1'), 'one row applied');
  await shot(page, 'portal-declaration');

  // The month assessed by the city; Li reads her statement and downloads it.
  const job = await api('POST', '/api/v1/assessments/runs', t, { period: PERIOD });
  assert.equal(job.status, 202, JSON.stringify(job.body));
  await waitJob(t, job.body.job_id);
  await page.goto(`${BASE}/portal/statement?period=${PERIOD}`);
  const statement = await page.textContent('main');
  assert.ok(statement.includes('新同事') && statement.includes('1770.00'), 'the month due for the new hire');
  await shot(page, 'portal-statement');

  // A certificate of the new hire, printable.
  await page.goto(`${BASE}/portal/employees`);
  await Promise.all([page.waitForNavigation(), page.click('#roster a:has-text("新同事")')]);
  await Promise.all([page.waitForNavigation(), page.click('#issue-certificate')]);
  assert.match(page.url(), /\/portal\/certificates\/411000-/);
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'portal-certificate');
  assert.deepEqual(li.consoleErrors, []);
  await li.close();
  await clerk.close();
});

test("a person's day: activate, read the record, print the statement, report the card lost", async () => {
  const t = await token('411000', 'clerk411000');
  const ecode = creditCode('411000', `MC${String(RUN).padStart(7, '0')}`);
  const employer = await api('POST', '/api/v1/employers', t, { credit_code: ecode, name: '许昌个人服务示范厂', risk_class: 1, registered_on: '2019-03-01' });
  assert.equal(employer.status, 201);
  const id = idNumber('411002', '19850303', RUN);
  const enrol = await api('POST', '/api/v1/enrolments', t, { person: { id_number: id, name: '王大伟' }, employer_id: employer.body.id, start_period: '2026-07',
    declared_wage: '6000', insurance_types: ['pension', 'medical', 'unemployment', 'work_injury', 'maternity'] });
  assert.equal(enrol.status, 201, JSON.stringify(enrol.body));
  const personId = enrol.body.person_id;
  // At the counter: the activation letter and the card.
  const clerk = await context(browser);
  const cpage = await clerk.newPage();
  await login(cpage, '411000', 'clerk411000');
  await cpage.goto(`${BASE}/persons/${personId}`);
  await cpage.click('summary:has-text("登记发卡")');
  await cpage.fill('#card_serial', `A4110${String(RUN).padStart(7, '0')}`);
  await cpage.fill('#bank_name', '中国银行许昌分行');
  await cpage.fill('#account_no', '6217000012345678901');
  await Promise.all([cpage.waitForNavigation(), cpage.click('#issue-card')]);
  assert.ok((await cpage.textContent('#card-list')).includes('已发卡'));
  await Promise.all([cpage.waitForNavigation(), cpage.click('#issue-activation')]);
  const code = (await cpage.textContent('#activation-code')).trim();
  assert.match(code, /^[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
  await shot(cpage, 'person-activation-letter');

  const me = await context(browser);
  const page = await me.newPage();
  await page.goto(`${BASE}/portal/login?kind=person`);
  await Promise.all([page.waitForNavigation(), page.click('#activate-link')]);
  await page.selectOption('select[name="tenant"]', '411000');
  await page.fill('#id_number', id);
  await page.fill('#code', code);
  await page.fill('#new', 'Wang-dawei-2026');
  await page.fill('#confirm', 'Wang-dawei-2026');
  await shot(page, 'person-activate');
  await Promise.all([page.waitForNavigation(), page.click('#activate-submit')]);
  assert.ok(await page.isVisible('#activated'), 'activated, now log in');
  await page.fill('#login', id);
  await page.fill('#password', 'Wang-dawei-2026');
  await Promise.all([page.waitForNavigation(), page.click('#portal-login')]);
  assert.equal(new URL(page.url()).pathname, '/portal');
  assert.ok((await page.textContent('main')).includes('王大伟'));
  await shot(page, 'person-home');

  await Promise.all([page.waitForNavigation(), page.click('#to-record')]);
  const record = await page.textContent('main');
  assert.ok(record.includes('许昌个人服务示范厂') && record.includes('养老保险'), 'employer and insurances on the record');
  await shot(page, 'person-record');

  await page.goto(`${BASE}/portal/statements`);
  await Promise.all([page.waitForNavigation(), page.click('#generate-statement')]);
  assert.match(page.url(), /\/portal\/statements\/411000-/);
  assert.ok((await page.textContent('#doc-name')).includes('王大伟'));
  const pdf = await page.pdf({ format: 'A4', printBackground: true });
  assert.ok(pdf.length > 5000 && pdf.subarray(0, 4).toString() === '%PDF', 'printable as an A4 PDF');
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'person-statement');
  await page.emulateMedia({ media: 'screen' });

  await page.goto(`${BASE}/portal/card`);
  page.once('dialog', (d) => d.accept());
  await Promise.all([page.waitForNavigation(), page.click('button[id^="report-lost-"]')]);
  assert.ok((await page.textContent('main')).includes('已挂失'), 'the home page confirms the loss');
  await page.goto(`${BASE}/portal/card`);
  assert.ok((await page.textContent('main')).includes('已挂失'));
  await shot(page, 'person-card-lost');
  assert.deepEqual(me.consoleErrors, []);
  await me.close();
  await clerk.close();
});
