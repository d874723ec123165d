/*
 * Jinbao 金保 — progressive enhancement only. Every page works without this file.
 * - reveals elements marked .js-only (rendered with the `hidden` attribute);
 * - wires [data-print] buttons to window.print();
 * - derives birth date and gender from the ID number typed into #id_number and warns
 *   about a wrong GB 11643 check character (texts come from data-* attributes of
 *   #id-derived, so this file stays language-neutral);
 * - moves focus to the error summary after a failed submission, else to a result marked
 *   [data-focus] (enrolment preview, import report, verification result, new password);
 * - asks for confirmation before submitting a form marked data-confirm="question".
 */
(function () {
  'use strict';

  var doc = window.document;
  if (!doc || !doc.querySelectorAll || !doc.addEventListener || !doc.createElement) {
    return;
  }

  var root = doc.documentElement;
  if (root.classList) {
    root.classList.remove('no-js');
    root.classList.add('js');
  }

  function each(list, fn) {
    for (var i = 0; i < list.length; i += 1) {
      fn(list[i], i);
    }
  }

  function canPrint() {
    return typeof window.print === 'function';
  }

  /* ---------- .js-only and [data-print] ---------- */

  function revealJsOnly() {
    each(doc.querySelectorAll('.js-only'), function (el) {
      if (el.hasAttribute('data-print') && !canPrint()) {
        return;
      }
      el.removeAttribute('hidden');
    });
  }

  function wirePrint() {
    if (!canPrint()) {
      return;
    }
    each(doc.querySelectorAll('[data-print]'), function (el) {
      el.addEventListener('click', function (ev) {
        if (ev && ev.preventDefault) {
          ev.preventDefault();
        }
        window.print();
      });
    });
  }

  /* ---------- ID number derivation (GB 11643-1999) ---------- */

  var WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
  var CHECK_CHARS = '10X98765432';

  function checkChar(first17) {
    var sum = 0;
    for (var i = 0; i < 17; i += 1) {
      sum += (first17.charCodeAt(i) - 48) * WEIGHTS[i];
    }
    return CHECK_CHARS.charAt(sum % 11);
  }

  function pad2(n) {
    return (n < 10 ? '0' : '') + n;
  }

  function todayIso() {
    var d = new Date();
    return d.getFullYear() + '-' + pad2(d.getMonth() + 1) + '-' + pad2(d.getDate());
  }

  /* "YYYYMMDD" -> "YYYY-MM-DD" when it is a real calendar date from 1850 on, else null. */
  function isoDate(yyyymmdd) {
    if (!/^\d{8}$/.test(yyyymmdd)) {
      return null;
    }
    var y = parseInt(yyyymmdd.slice(0, 4), 10);
    var m = parseInt(yyyymmdd.slice(4, 6), 10);
    var d = parseInt(yyyymmdd.slice(6, 8), 10);
    if (y < 1850 || m < 1 || m > 12 || d < 1) {
      return null;
    }
    var dt = new Date(Date.UTC(y, m - 1, d));
    if (dt.getUTCFullYear() !== y || dt.getUTCMonth() !== m - 1 || dt.getUTCDate() !== d) {
      return null;
    }
    return yyyymmdd.slice(0, 4) + '-' + yyyymmdd.slice(4, 6) + '-' + yyyymmdd.slice(6, 8);
  }

  function plausibleBirth(yyyymmdd) {
    var iso = isoDate(yyyymmdd);
    return iso !== null && iso <= todayIso();
  }

  /*
   * Returns what can be told so far:
   * { birth: "YYYY-MM-DD" | null, badDate: bool, future: bool,
   *   male: true | false | null, badCheck: bool, legacy: bool }
   */
  function derive(raw) {
    var v = String(raw || '').replace(/\s+/g, '').toUpperCase();
    var r = { birth: null, badDate: false, future: false, male: null, badCheck: false, legacy: false };

    // A 15-digit legacy number (birth 19YYMMDD, gender in the last digit). At 15 characters the
    // input may also be an 18-character number being typed: take the reading whose birth date is
    // plausible, preferring the 18-character one.
    if (/^\d{15}$/.test(v) && !plausibleBirth(v.slice(6, 14)) && plausibleBirth('19' + v.slice(6, 12))) {
      r.legacy = true;
      r.birth = isoDate('19' + v.slice(6, 12));
      r.male = parseInt(v.charAt(14), 10) % 2 === 1;
      return r;
    }

    if (v.length >= 14 && /^\d{14}/.test(v)) {
      r.birth = isoDate(v.slice(6, 14));
      if (r.birth === null) {
        r.badDate = true;
      } else if (r.birth > todayIso()) {
        r.future = true;
      }
    }
    if (v.length >= 17 && /^\d{17}/.test(v)) {
      r.male = parseInt(v.charAt(16), 10) % 2 === 1;
    }
    if (v.length === 18 && /^\d{17}[\dX]$/.test(v)) {
      r.badCheck = checkChar(v.slice(0, 17)) !== v.charAt(17);
    }
    return r;
  }

  function clear(el) {
    while (el.firstChild) {
      el.removeChild(el.firstChild);
    }
  }

  function item(out, label, value) {
    var span = doc.createElement('span');
    span.className = 'derived-item';
    span.appendChild(doc.createTextNode(label));
    var b = doc.createElement('b');
    b.appendChild(doc.createTextNode(value));
    span.appendChild(b);
    out.appendChild(span);
  }

  function note(out, cls, text) {
    if (!text) {
      return;
    }
    var span = doc.createElement('span');
    span.className = cls;
    span.appendChild(doc.createTextNode(text));
    out.appendChild(span);
  }

  function wireIdDerivation() {
    var input = doc.getElementById('id_number');
    var out = doc.getElementById('id-derived');
    if (!input || !out || !out.getAttribute) {
      return;
    }
    var t = {
      birth: out.getAttribute('data-birth') || '',
      gender: out.getAttribute('data-gender') || '',
      male: out.getAttribute('data-male') || '♂',
      female: out.getAttribute('data-female') || '♀',
      badCheck: out.getAttribute('data-bad-check') || '',
      badDate: out.getAttribute('data-bad-date') || '',
      future: out.getAttribute('data-future') || '',
      legacy: out.getAttribute('data-legacy') || ''
    };
    var last = null;

    function update() {
      var value = input.value || '';
      if (value === last) {
        return;
      }
      last = value;
      var r = derive(value);
      clear(out);
      if (r.birth && !r.future) {
        item(out, t.birth, r.birth);
      }
      if (r.male !== null) {
        item(out, t.gender, r.male ? t.male : t.female);
      }
      if (r.badDate) {
        note(out, 'derived-warn', t.badDate);
      }
      if (r.future) {
        note(out, 'derived-warn', t.future);
      }
      if (r.badCheck) {
        note(out, 'derived-warn', t.badCheck);
      }
      if (r.legacy) {
        note(out, 'derived-note', t.legacy);
      }
    }

    input.addEventListener('input', update);
    input.addEventListener('change', update);
    update();
  }

  /* ---------- Error summary focus ---------- */

  function focusErrorSummary() {
    var summary = doc.getElementById('error-summary');
    if (summary && typeof summary.focus === 'function') {
      try {
        summary.focus({ preventScroll: false });
      } catch (e) {
        summary.focus();
      }
    }
  }

  /* ---------- Result focus and confirmations ---------- */

  function focusResult() {
    if (doc.getElementById('error-summary')) {
      return;
    }
    var target = doc.querySelector('[data-focus]');
    if (target && typeof target.focus === 'function') {
      try {
        target.focus({ preventScroll: false });
      } catch (e) {
        target.focus();
      }
    }
  }

  function wireConfirm() {
    if (typeof window.confirm !== 'function') {
      return;
    }
    each(doc.querySelectorAll('form[data-confirm]'), function (form) {
      form.addEventListener('submit', function (ev) {
        var question = form.getAttribute('data-confirm');
        if (question && !window.confirm(question)) {
          ev.preventDefault();
        }
      });
    });
  }

  function init() {
    revealJsOnly();
    wirePrint();
    wireIdDerivation();
    wireConfirm();
    focusErrorSummary();
    focusResult();
  }

  if (doc.readyState === 'loading') {
    doc.addEventListener('DOMContentLoaded', init);
  } else {
    init();
  }

  // Exposed for tests only; harmless otherwise.
  window.JinbaoIdNumber = { derive: derive, checkChar: checkChar };
})();
