/* The verifier: anyone checks a certificate against the server's keys; no sign-in. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const message = $('message');

  const REASONS = {
    valid: 'Signed by Credo, and valid now.',
    malformed: 'This is not a Credo certificate, or part of it is missing.',
    unknown_issuer_key: 'It names a signing key this Credo does not know.',
    bad_signature: 'The signature does not match: the certificate was altered or forged.',
    not_yet_valid: 'It is not valid yet.',
    expired: 'It has expired.',
  };

  async function verify(event) {
    event.preventDefault();
    await Credo.once($('verify-button'), async () => {
      Credo.clear(message);
      const text = $('certificate').value.trim();
      if (!text) {
        Credo.say(message, 'error', 'Paste a certificate or choose its file first.');
        return;
      }
      try {
        JSON.parse(text);
      } catch (e) {
        show(null);
        Credo.say(message, 'error', 'That is not a certificate: it is not JSON.');
        return;
      }
      try {
        const r = await Credo.api('POST', '/v1/certificates/verify', { body: text });
        show(r);
      } catch (e) {
        show(null);
        Credo.say(message, 'error', 'That is not a certificate: ' + Credo.explain(e));
      }
    });
  }

  function show(r) {
    if (!r) {
      $('result').replaceChildren(Credo.el('p', { className: 'muted', text: 'Nothing checked.' }));
      return;
    }
    const rows = [];
    const add = (label, value) => {
      if (value !== undefined && value !== null && value !== '') {
        rows.push(Credo.el('tr', null, Credo.el('th', { scope: 'row', text: label }), Credo.el('td', null, value)));
      }
    };
    add('subject', r.subject);
    add('claims', r.claims ? Credo.el('ul', { id: 'claims' }, r.claims.map((c) => Credo.el('li', { text: c }))) : null);
    add('policy', r.policy ? r.policy.id + ' version ' + r.policy.version : null);
    add('issuer', r.issuer ? r.issuer + (r.keyId ? ' (key ' + r.keyId + ')' : '') : null);
    add('valid from', Credo.when(r.validFrom));
    add('valid until', Credo.when(r.validUntil));
    add('certificate', r.id);
    add('check', r.message);
    $('result').replaceChildren(...[
      Credo.el('p', { id: 'verdict', className: 'verdict ' + (r.valid ? 'valid' : 'invalid'), text: r.valid ? '✓ Valid' : '✗ Not valid' }),
      Credo.el('p', { id: 'reason', text: REASONS[r.reason] || r.reason }),
      rows.length ? Credo.el('div', { className: 'table-wrap' }, Credo.el('table', null, Credo.el('tbody', null, rows))) : null,
    ].filter(Boolean));
    Credo.drawn();
  }

  function load(event) {
    const file = event.target.files[0];
    if (!file) {
      return;
    }
    if (file.size > 1024 * 1024) {
      Credo.say(message, 'error', 'That file is too large to be a certificate.');
      return;
    }
    file.text().then((text) => {
      $('certificate').value = text;
      Credo.clear(message);
    });
  }

  $('verify-form').addEventListener('submit', verify);
  $('file').addEventListener('change', load);
  const fromPortal = Credo.get('certificate');
  if (fromPortal && !$('certificate').value) {
    $('certificate').value = fromPortal;
  }
  Credo.drawn();
})();
