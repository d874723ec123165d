// A Xuchang clerk's day in a real browser: login, register a person, one-form enrolment in five
// insurances with the amounts of the domain rules, the timeline, a validation error that keeps the
// input, a certificate that prints and verifies, the language switch, and isolation from Zhoukou.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { BASE, launch, context, shot, login, idNumber, creditCode, RUN } from './support.mjs';

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const state = {};

test('login with the tenant picker lands on the home page of the city', async () => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await page.goto(`${BASE}/`);
  assert.match(page.url(), /\/login/);
  const options = await page.locator('select[name="tenant"] option[value^="4"]').count();
  assert.equal(options, 19, 'the province and 18 cities');
  await shot(page, 'login');
  await login(page, '411000', 'clerk411000');
  assert.equal(new URL(page.url()).pathname, '/');
  const body = await page.textContent('body');
  assert.ok(body.includes('许昌市') && body.includes('411000'));
  await shot(page, 'home');
  assert.deepEqual(ctx.consoleErrors, []);
  await ctx.close();
});

test('register a person: a bad identity number keeps the input, a good one registers', async () => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await login(page, '411000', 'clerk411000');
  await page.goto(`${BASE}/persons/new`);
  await page.fill('#id_number', '410102199003071231');
  await page.fill('#name', '王小明');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/persons"] button[type="submit"]')]);
  assert.equal(await page.inputValue('#name'), '王小明', 'input kept');
  assert.equal(await page.getAttribute('#id_number', 'aria-invalid'), 'true');
  assert.match(await page.textContent('body'), /校验/);
  await shot(page, 'person-form-error');
  state.id = idNumber('411002', '19900815', RUN);
  await page.fill('#id_number', state.id);
  await Promise.all([page.waitForNavigation(), page.click('form[action="/persons"] button[type="submit"]')]);
  assert.match(page.url(), /\/persons\/\d+/);
  state.personUrl = page.url().split('?')[0];
  assert.ok((await page.textContent('body')).includes('4110**********'), 'identity number masked');
  await ctx.close();
});

test('one-form enrolment shows the domain amounts, enrols in five types once, and the timeline shows it', async () => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await login(page, '411000', 'clerk411000');
  // The employer, registered through its form.
  state.code = creditCode('411000', `MA${String(RUN).padStart(7, '0')}`);
  await page.goto(`${BASE}/employers/new`);
  await page.fill('#credit_code', state.code);
  await page.fill('#name', '许昌示范有限公司');
  await page.selectOption('#risk_class', '2');
  await page.fill('#registered_on', '2020-01-15');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/employers"] button[type="submit"]')]);
  assert.match(page.url(), /\/employers\/\d+/);
  // The enrolment form, starting from the person.
  const personId = state.personUrl.split('/').pop();
  await page.goto(`${BASE}/enrol?person_id=${personId}`);
  for (const t of ['pension', 'medical', 'unemployment', 'work_injury', 'maternity']) {
    assert.ok(await page.isChecked(`#type-${t}`), `${t} ticked by default`);
  }
  await page.fill('#credit_code', state.code);
  await page.fill('#start_period', '2026-07');
  await page.fill('#declared_wage', '5000');
  await page.fill('#hire_date', '2026-07-01');
  await Promise.all([page.waitForNavigation(), page.click('button[value="preview"]')]);
  const preview = await page.textContent('main');
  // docs/rules.md §5 with Xuchang's rates; risk class 2 → 0.4 %.
  for (const amount of ['5000.00', '800.00', '400.00', '100.00', '35.00', '15.00', '20.00', '1770.00']) {
    assert.ok(preview.includes(amount), `preview shows ${amount}`);
  }
  await shot(page, 'enrol-preview');
  // Double submission (a double click): the same form posted twice — one enrolment per type.
  const statuses = await page.evaluate(async () => {
    const form = document.querySelector('#enrol-submit').form;
    const data = new URLSearchParams(new FormData(form));
    data.set('action', 'submit');
    const post = () => fetch(form.getAttribute('action'), { method: 'POST', body: data, redirect: 'manual' }).then(async (r) => (r.type === 'opaqueredirect' ? r.type : `${r.status} ${(await r.text()).replace(/\s+/g, ' ').match(/role="alert"[^<]*<[^>]*>[^<]*/g)}`));
    return Promise.all([post(), post()]);
  });
  assert.deepEqual(statuses, ['opaqueredirect', 'opaqueredirect'], 'both answered with a redirect');
  await page.goto(state.personUrl);
  const body = await page.textContent('main');
  const enrolments = await page.textContent('section[aria-labelledby="enrolments-title"]');
  for (const label of ['养老保险', '医疗保险', '失业保险', '工伤保险', '生育保险']) {
    assert.equal(enrolments.split(label).length - 1, 1, `${label} listed once`);
  }
  assert.ok(body.includes('参保'), 'timeline entry');
  await shot(page, 'person-detail');
  await ctx.close();
});

test('the certificate prints and its code verifies on the public page', async () => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await login(page, '411000', 'clerk411000');
  await page.goto(state.personUrl);
  await Promise.all([page.waitForNavigation(), page.click('form[action$="/certificate"] button[type="submit"]')]);
  assert.match(page.url(), /\/certificates\/411000-/);
  const code = page.url().split('/').pop();
  await page.emulateMedia({ media: 'print' });
  await shot(page, 'certificate-print');
  await page.pdf({ path: `${process.env.JINBAO_E2E_ARTIFACTS ?? '.'}/certificate.pdf`, format: 'A4' });
  const printed = await page.textContent('body');
  assert.ok(printed.includes(code) && printed.includes('王小明'));
  const pub = await (await context(browser)).newPage();
  await pub.goto(`${BASE}/verify`);
  await pub.fill('input[name="code"]', code);
  await Promise.all([pub.waitForNavigation(), pub.click('form[action="/verify"] button[type="submit"]')]);
  const result = await pub.textContent('main');
  assert.ok(result.includes('王**') && result.includes('许昌'), 'valid, initial and city');
  assert.ok(!result.includes('王小明'), 'no more than the initial');
  await shot(pub, 'verify');
  await ctx.close();
});

test('the language switch turns the pages to English and back', async () => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await login(page, '411000', 'clerk411000');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/lang"] button[value="en"]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'en');
  assert.ok((await page.textContent('body')).includes('Xuchang'));
  await shot(page, 'home-en');
  await Promise.all([page.waitForNavigation(), page.click('form[action="/lang"] button[value="zh-CN"]')]);
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  await ctx.close();
});

test('a Zhoukou clerk cannot open a Xuchang person by URL', async () => {
  const ctx = await context(browser);
  const page = await ctx.newPage();
  await login(page, '411600', 'clerk411600');
  const res = await page.goto(state.personUrl);
  assert.equal(res.status(), 404);
  assert.ok(!(await page.textContent('body')).includes('王小明'));
  await shot(page, 'isolation-404');
  await ctx.close();
});
