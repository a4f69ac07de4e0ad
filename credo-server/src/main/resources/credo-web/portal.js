/* The subject portal: everything Credo holds about the signed-in subject, and what they can do. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const message = $('message');
  const state = { subject: null, token: null, scores: [], history: null, disputes: [], repairs: [] };

  function path(rest) {
    return '/v1/subjects/' + encodeURIComponent(state.subject).replace(/%3A/g, ':') + rest;
  }

  function call(method, rest, body) {
    return Credo.api(method, rest.startsWith('/v1/') ? rest : path(rest), { token: state.token, body });
  }

  function showSignIn() {
    $('portal').classList.add('hidden');
    $('signout').classList.add('hidden');
    $('who').classList.add('hidden');
    $('signin').classList.remove('hidden');
    if (state.subject) {
      $('subject').value = state.subject;
    }
  }

  function showPortal() {
    $('signin').classList.add('hidden');
    $('portal').classList.remove('hidden');
    $('signout').classList.remove('hidden');
    $('who').textContent = state.subject;
    $('who').classList.remove('hidden');
  }

  async function signIn(event) {
    event.preventDefault();
    await Credo.once($('signin-button'), async () => {
      state.subject = $('subject').value.trim();
      state.token = $('token').value.trim();
      Credo.set('subject', state.subject);
      Credo.set('subjectToken', state.token);
      await load();
    });
  }

  function signOut() {
    Credo.set('subjectToken', null);
    state.token = null;
    showSignIn();
    Credo.say(message, 'info', 'Signed out. The token is forgotten in this tab.');
  }

  async function load() {
    Credo.clear(message);
    let score;
    let history;
    try {
      // Consents are the subject's alone: an operator's token, which may read scores, fails there.
      let consents;
      [consents, score, history] = await Promise.all([
        call('GET', '/consents'), call('GET', '/score'), call('GET', '/history?months=12')]);
      state.consents = consents;
    } catch (e) {
      if (e.status !== 429) {
        Credo.set('subjectToken', null);
        state.token = null;
      }
      showSignIn();
      let text = Credo.explain(e);
      if (e.code === 'unknown_subject') {
        text = 'Credo holds no records about ' + state.subject + '.';
      } else if (e.code === 'bad_subject') {
        text = 'That is not a valid identifier: ' + e.message;
      } else if (e.code === 'not_your_subject') {
        text = 'This token belongs to another subject: check the identifier.';
      } else if (e.code === 'forbidden_role') {
        text = 'This is not a subject token. The portal needs the subject token the operator gave you.';
      }
      Credo.say(message, 'error', text);
      return;
    }
    state.scores = score.scores;
    state.history = history;
    showPortal();
    const select = $('policy');
    select.replaceChildren(...state.scores.map((s, i) =>
      Credo.el('option', { value: String(i), text: s.policy + ' (version ' + s.policyVersion + ')' })));
    // Start with the first policy under which Credo holds something about the subject.
    const first = state.scores.findIndex((s) => s.contributions.length > 0);
    select.value = String(Math.max(0, first));
    drawPolicy();
    Credo.drawn();
    loadInquiries();
    loadConsents(state.consents);
    loadScoring();
    loadNotifications();
    loadDisputes();
    loadRepairs();
    loadAudit();
  }

  function currentScore() {
    return state.scores[Number($('policy').value) || 0];
  }

  function currentSeries() {
    const s = currentScore();
    return (state.history.series || []).find((x) => x.policy === s.policy);
  }

  function drawPolicy() {
    const s = currentScore();
    if (!s) {
      $('score').replaceChildren(Credo.el('p', { text: 'No active policy scores you.' }));
      return;
    }
    const series = currentSeries();
    drawScore(s, series);
    drawHistory(s, series);
    drawContributions(s);
    drawLists(s);
    const grades = series ? series.grades : [];
    $('claim-grade-value').replaceChildren(...grades.map((g) => Credo.el('option', { value: g.grade, text: g.grade })));
    if (grades.some((g) => g.grade === s.grade)) {
      $('claim-grade-value').value = s.grade;
    }
    $('claim-score-value').value = s.score == null ? '' : String(Math.floor(s.score));
    $('claim-score-value').min = String(s.scale.min);
    $('claim-score-value').max = String(s.scale.max);
    $('dispute-record').replaceChildren(...s.contributions.map((c) =>
      Credo.el('option', { value: c.record, text: c.record + ' — ' + c.label + ' (' + Credo.day(c.occurred) + ')' })));
    $('repair-list').replaceChildren(...blackLists(s).map((l) => Credo.el('option', { value: l.list, text: l.list })));
  }

  function drawScore(s, series) {
    if (s.unscorable) {
      // No number and no grade: said plainly, never drawn as a bin or a meter.
      const inEffectNow = s.lists.filter((l) => l.inEffect);
      $('score').replaceChildren(...[
        Credo.el('p', null,
          Credo.el('strong', { id: 'score-value', className: 'big', text: s.unscorable.code === 'subject_score_free' ? 'Score-free' : 'Unscorable' }),
          ' · ',
          Credo.el('span', { id: 'score-grade', text: 'no score and no grade' })),
        Credo.el('p', { id: 'no-score-reason', text: s.unscorable.reason }),
        Credo.el('p', { text: inEffectNow.length === 0 ? 'You are on no list under this policy.' : 'You are on ' + inEffectNow.map((l) => l.list).join(', ') + '.' }),
        Credo.el('p', { className: 'muted', text: 'Policy ' + s.policy + ' version ' + s.policyVersion + ', as of ' + Credo.when(s.asOf) + '.' }),
      ]);
      return;
    }
    const range = s.scale.max - s.scale.min;
    const grades = series ? series.grades : [];
    const meter = Credo.el('meter', {
      id: 'score-meter',
      min: s.scale.min,
      max: s.scale.max,
      low: s.scale.min + range / 3,
      high: s.scale.min + (2 * range) / 3,
      optimum: s.scale.max,
      value: s.score,
      'aria-label': 'Score ' + s.score + ' on a scale of ' + s.scale.min + ' to ' + s.scale.max,
    });
    const bands = Credo.el('ul', { className: 'bands', 'aria-label': 'Grade bands of ' + s.policy },
      grades.map((g) => Credo.el('li', { className: g.grade === s.grade ? 'current' : null, text: g.grade + ' from ' + g.min })));
    const inEffect = s.lists.filter((l) => l.inEffect);
    $('score').replaceChildren(...[
      Credo.el('p', null,
        Credo.el('span', { id: 'score-value', className: 'big', text: Credo.number(s.score) }),
        ' ',
        Credo.el('span', { className: 'muted', text: 'of ' + s.scale.min + '–' + s.scale.max }),
        ' · grade ',
        Credo.el('strong', { id: 'score-grade', text: s.grade })),
      meter,
      Credo.el('div', { className: 'muted', 'aria-hidden': 'true' },
        Credo.el('span', { text: String(s.scale.min) }), ' … ', Credo.el('span', { text: String(s.scale.max) })),
      bands,
      Credo.el('p', { text: inEffect.length === 0 ? 'You are on no list under this policy.' : 'You are on ' + inEffect.map((l) => l.list).join(', ') + '.' }),
      Credo.el('p', { className: 'muted', text: 'Policy ' + s.policy + ' version ' + s.policyVersion + ', as of ' + Credo.when(s.asOf) + '.' }),
      s.notes && s.notes.length ? Credo.el('ul', null, s.notes.map((n) => Credo.el('li', { text: n }))) : null,
    ].filter(Boolean));
  }

  function drawHistory(s, series) {
    const points = series ? series.points : [];
    const box = $('history-chart');
    if (points.length === 0) {
      box.replaceChildren(Credo.el('p', { className: 'muted', text: 'No history.' }));
    } else {
      Credo.lines(box, {
        xs: points.map((p) => Date.parse(p.asOf) / 1000),
        series: [{ label: s.policy, values: points.map((p) => p.score) }],
        yRange: [s.scale.min, s.scale.max],
        yLabel: 'score',
      });
    }
    $('history-table').replaceChildren(Credo.table('Score at the start of each month, as Credo knew it then', [
      { label: 'as of', value: (p) => Credo.day(p.asOf) },
      { label: 'score', value: (p) => (p.score == null ? 'none (' + p.unscorable + ')' : Credo.number(p.score)), num: true },
      { label: 'grade', value: (p) => p.grade || '—' },
    ], points, 'No history.'));
  }

  function drawContributions(s) {
    const box = $('contrib-chart');
    if (s.factors && s.factors.length) {
      Credo.bars(box, {
        xs: s.factors.map((_, i) => i),
        ys: s.factors.map((f) => f.points),
        labels: s.factors.map((f) => f.name),
        xRange: [-0.5, s.factors.length - 0.5],
        yLabel: 'points',
        align: 0,
      });
      $('factors').replaceChildren(Credo.table('Factors', [
        { label: 'factor', value: (f) => f.label },
        { label: 'weight', value: (f) => Credo.number(f.weight), num: true },
        {
          label: 'weight applied',
          value: (f) => (f.participating ? Credo.number(f.appliedWeight) : 'not taking part (opt-in)'),
          num: true,
        },
        { label: 'signal (0–1)', value: (f) => Credo.number(f.signal), num: true },
        { label: 'points', value: (f) => Credo.number(f.points), num: true },
        { label: 'short of the best by', value: (f) => Credo.number(f.shortfall), num: true },
        { label: 'records', value: (f) => f.records, num: true },
      ], s.factors));
    } else {
      const counted = s.contributions.filter((c) => c.points !== 0);
      if (counted.length === 0) {
        box.replaceChildren(Credo.el('p', { className: 'muted', text: 'No record moves this score.' }));
      } else {
        Credo.bars(box, {
          xs: counted.map((_, i) => i),
          ys: counted.map((c) => c.points),
          labels: counted.map((c) => Credo.day(c.occurred)),
          xRange: [-0.5, counted.length - 0.5],
          yLabel: 'points',
        });
      }
      $('factors').replaceChildren();
    }
    drawContributionTable(s);
  }

  /** The open dispute on a record, if any. */
  function openDispute(record) {
    return state.disputes.find((d) => d.record === record && d.state === 'open');
  }

  function drawContributionTable(s) {
    if (!s) {
      return;
    }
    const columns = [
      { label: 'occurred', value: (c) => Credo.day(c.occurred) },
      { label: 'what', value: (c) => c.label },
      { label: 'source', value: (c) => c.source },
      { label: 'status', value: (c) => c.status },
      { label: 'points', value: (c) => Credo.number(c.points), num: true },
      { label: 'expires', value: (c) => Credo.day(c.expires) },
      { label: 'evidence', value: (c) => c.evidence || '' },
      { label: 'record', value: (c) => c.record },
      {
        label: 'dispute',
        value: (c) => (openDispute(c.record)
          ? Credo.el('span', { className: 'tag disputed', text: 'disputed' })
          : Credo.el('button', {
            type: 'button', className: 'secondary', 'data-record': c.record,
            'aria-label': 'Dispute record ' + c.record,
            text: 'Dispute', onclick: () => showDisputeForm(c.record),
          })),
      },
    ];
    columns.rowClass = (c) => (openDispute(c.record) ? 'disputed' : null);
    $('contributions').replaceChildren(Credo.table('Every record under ' + s.policy, columns,
      s.contributions, 'Credo holds no record about you under this policy.'));
  }

  function drawLists(s) {
    if (!s) {
      return;
    }
    $('lists').replaceChildren(Credo.table('List entries under ' + s.policy, [
      { label: 'list', value: (l) => l.list + ' (' + l.kind + ')' },
      { label: 'in effect', value: (l) => (l.inEffect ? 'yes' : 'not yet / no longer') },
      { label: 'basis', value: (l) => l.basis },
      { label: 'from', value: (l) => Credo.day(l.effectiveFrom) },
      { label: 'until', value: (l) => Credo.day(l.until) || 'open' },
      {
        label: 'repair',
        value: (l) => (l.kind !== 'black' ? '' : state.repairs.some((r) => r.list === l.list && r.state === 'open')
          ? Credo.el('span', { className: 'tag open', text: 'repair applied' })
          : Credo.el('button', {
            type: 'button', className: 'secondary', 'data-list': l.list,
            'aria-label': 'Apply for repair of the ' + l.list + ' entry',
            text: 'Apply for repair', onclick: () => showRepairForm(l.list),
          })),
      },
    ], s.lists, 'No list entries.'));
  }

  function blackLists(s) {
    const seen = new Set();
    return s.lists.filter((l) => l.kind === 'black' && !seen.has(l.list) && seen.add(l.list));
  }

  async function loadInquiries() {
    try {
      const r = await call('GET', '/inquiries?limit=50');
      $('inquiries').replaceChildren(Credo.table('Latest first', [
        { label: 'when', value: (i) => Credo.when(i.at) },
        { label: 'who', value: (i) => i.party },
        { label: 'purpose', value: (i) => i.purpose },
        { label: 'outcome', value: (i) => i.outcome },
      ], r.inquiries, 'Nobody has asked about you.'));
    } catch (e) {
      $('inquiries').replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
    }
  }

  async function loadConsents(known) {
    try {
      const r = known || await call('GET', '/consents');
      $('consents').replaceChildren(Credo.table('Consents, live and past', [
        { label: 'party', value: (c) => c.party },
        { label: 'purpose', value: (c) => c.purpose },
        { label: 'until', value: (c) => Credo.day(c.until) },
        { label: 'state', value: (c) => c.state },
        {
          label: 'action',
          value: (c) => (c.state === 'live'
            ? Credo.el('button', {
              type: 'button', className: 'secondary', 'data-consent': c.id,
              'aria-label': 'Revoke consent for ' + c.party + ', ' + c.purpose,
              text: 'Revoke', onclick: (e) => revoke(e.currentTarget, c),
            })
            : ''),
        },
      ], r.consents, 'You have given no consent.'));
    } catch (e) {
      $('consents').replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
    }
  }

  async function loadScoring() {
    try {
      const m = await call('GET', '/scoring');
      state.scoring = m.mode;
      $('scoring-state').textContent = m.mode === 'score_free'
        ? 'You are score-free' + (m.since ? ' since ' + Credo.when(m.since) : '') + ': no score or grade is computed about you.'
        : 'You are scored under the active policies.';
      $('scoring-button').textContent = m.mode === 'score_free' ? 'Be scored again' : 'Stop being scored';
    } catch (e) {
      $('scoring-state').textContent = Credo.explain(e);
    }
  }

  async function toggleScoring() {
    await Credo.once($('scoring-button'), async () => {
      const mode = state.scoring === 'score_free' ? 'scored' : 'score_free';
      try {
        await call('PUT', '/scoring', { mode });
        Credo.say($('scoring-message'), 'ok', mode === 'score_free'
          ? 'Done: from now on no score or grade is computed about you.'
          : 'Done: you are scored again from now on.');
        await load();
      } catch (e) {
        Credo.say($('scoring-message'), 'error', 'Nothing changed: ' + Credo.explain(e));
      }
    });
  }

  async function grant(event) {
    event.preventDefault();
    await Credo.once($('consent-button'), async () => {
      const body = {
        party: $('consent-party').value.trim(),
        purpose: $('consent-purpose').value.trim(),
        until: $('consent-until').value,
      };
      try {
        const c = await call('POST', '/consents', body);
        Credo.say($('consent-message'), 'ok', 'Consent granted to ' + c.party + ' for ' + c.purpose + ' until ' + Credo.day(c.until) + '.');
        $('consent-form').reset();
        await loadConsents();
      } catch (e) {
        Credo.say($('consent-message'), 'error', 'Nothing was granted: ' + Credo.explain(e));
      }
    });
  }

  async function revoke(button, c) {
    await Credo.once(button, async () => {
      try {
        await call('DELETE', '/consents/' + c.id);
        Credo.say($('consent-message'), 'ok', 'Consent for ' + c.party + ' (' + c.purpose + ') revoked.');
      } catch (e) {
        Credo.say($('consent-message'), 'error', 'Nothing was revoked: ' + Credo.explain(e));
      }
      await loadConsents();
    });
  }

  async function certify(event) {
    event.preventDefault();
    await Credo.once($('cert-button'), async () => {
      const s = currentScore();
      const claims = [];
      if ($('claim-grade').checked) {
        claims.push('grade >= ' + $('claim-grade-value').value);
      }
      if ($('claim-black').checked) {
        claims.push('not on any black list');
      }
      if ($('claim-score').checked) {
        claims.push('score >= ' + $('claim-score-value').value);
      }
      if (claims.length === 0) {
        Credo.say($('cert-message'), 'error', 'Choose at least one claim.');
        return;
      }
      try {
        const body = { claims, validFor: $('cert-valid').value };
        if ($('claim-grade').checked || $('claim-score').checked) {
          body.policy = s.policy; // grade and score claims are under the policy shown
        }
        const cert = await call('POST', '/certificates', body);
        const text = JSON.stringify(cert, null, 2);
        $('cert-text').value = text;
        const download = $('cert-download');
        if (download.href.startsWith('blob:')) {
          URL.revokeObjectURL(download.href);
        }
        download.href = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
        download.download = cert.certificate.id + '.json';
        Credo.set('certificate', text);
        $('cert-result').classList.remove('hidden');
        Credo.say($('cert-message'), 'ok', 'Certificate ' + cert.certificate.id + ' signed, valid until ' + Credo.when(cert.certificate.validUntil) + '.');
      } catch (e) {
        $('cert-result').classList.add('hidden');
        Credo.say($('cert-message'), 'error', 'No certificate was signed: ' + Credo.explain(e));
      }
    });
  }

  // ---- due process: notifications, disputes, credit repair, the audit log --------------------

  function failed(box, e) {
    box.replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
  }

  function delivery(n) {
    switch (n.delivery) {
      case 'delivered':
        return 'sent ' + Credo.when(n.delivered);
      case 'failed':
        return 'sending failed' + (n.lastError ? ': ' + n.lastError : '');
      case 'pending':
        return n.attempts ? 'being sent (' + n.attempts + ' tries)' : 'kept here (not sent yet)';
      default:
        return n.delivery || '';
    }
  }

  async function loadNotifications() {
    try {
      const r = await call('GET', '/notifications?limit=100');
      $('notifications').replaceChildren(Credo.table('What Credo told you, latest first', [
        { label: 'when', value: (n) => Credo.when(n.created) },
        { label: 'about', value: (n) => n.kind.replace(/_/g, ' ') },
        { label: 'message', value: (n) => n.message },
        { label: 'delivery', value: delivery },
      ], r.notifications, 'No notifications.'));
    } catch (e) {
      failed($('notifications'), e);
    }
  }

  function words(text) {
    const t = text.trim();
    return t === '' ? 0 : t.split(/\s+/).length;
  }

  const MAX_WORDS = 100;
  const MAX_CHARS = 1000;

  function countWords() {
    const text = $('dispute-statement').value;
    const n = words(text);
    const over = n > MAX_WORDS || text.trim().length > MAX_CHARS;
    $('dispute-count').textContent = n + ' of ' + MAX_WORDS + ' words'
      + (text.trim().length > MAX_CHARS ? ', ' + text.trim().length + ' of ' + MAX_CHARS + ' characters' : '')
      + (over ? ' — too long' : '');
    $('dispute-count').className = over ? 'over' : 'muted';
  }

  function showDisputeForm(record) {
    const form = $('dispute-form');
    form.classList.remove('hidden');
    $('dispute-record').value = record;
    Credo.clear($('dispute-message'));
    countWords();
    $('dispute-statement').focus();
    form.scrollIntoView({ block: 'nearest' });
  }

  function hideDisputeForm(event) {
    const record = $('dispute-record').value;
    if (event) { // Cancel: back to the row's Dispute button
      const back = document.querySelector('button[data-record="' + CSS.escape(record) + '"]');
      if (back) {
        back.focus();
      }
    }
    $('dispute-form').reset();
    $('dispute-form').classList.add('hidden');
    countWords();
  }

  function history(d) {
    return Credo.el('details', null, Credo.el('summary', { text: d.history.length + (d.history.length === 1 ? ' step' : ' steps') }),
      Credo.el('ol', { className: 'history' }, d.history.map((h) =>
        Credo.el('li', { text: Credo.when(h.at) + ' ' + h.state + ' (' + h.by + ')' + (h.note ? ': ' + h.note : '') }))));
  }

  function answer(d) {
    if (d.state === 'open') {
      return d.overdue ? 'deadline passed, unanswered' : 'waiting for the source';
    }
    return [d.result, d.reason].filter(Boolean).join(': ')
      + (d.answered ? ' (' + Credo.when(d.answered) + ')' : '');
  }

  async function loadDisputes() {
    try {
      const r = await call('GET', '/disputes');
      state.disputes = r.disputes;
      $('disputes').replaceChildren(Credo.table('Your disputes, newest first', [
        { label: 'opened', value: (d) => Credo.when(d.opened) },
        { label: 'dispute', value: (d) => d.id },
        { label: 'record', value: (d) => d.record },
        { label: 'state', value: (d) => Credo.el('span', { className: 'tag ' + d.state, text: d.state }) },
        { label: 'deadline', value: (d) => Credo.when(d.deadline) },
        { label: 'your statement', value: (d) => d.statement },
        { label: 'answer', value: answer },
        { label: 'history', value: history },
      ], r.disputes, 'You have disputed no record.'));
    } catch (e) {
      state.disputes = [];
      failed($('disputes'), e);
    }
    drawContributionTable(currentScore());
  }

  async function dispute(event) {
    event.preventDefault();
    await Credo.once($('dispute-button'), async () => {
      const statement = $('dispute-statement').value.trim();
      const n = words(statement);
      const region = $('dispute-message');
      if (n === 0) {
        Credo.say(region, 'error', 'Write what is wrong with the record (1 to 100 words). Nothing was sent.');
        $('dispute-statement').focus();
        return;
      }
      if (n > MAX_WORDS || statement.length > MAX_CHARS) {
        Credo.say(region, 'error', 'The statement has ' + n + ' words and ' + statement.length
          + ' characters; at most ' + MAX_WORDS + ' words and ' + MAX_CHARS + ' characters. Nothing was sent.');
        $('dispute-statement').focus();
        return;
      }
      try {
        const d = await call('POST', '/v1/disputes', {
          subject: state.subject,
          record: $('dispute-record').value,
          statement,
        });
        Credo.say(region, 'ok', 'Dispute ' + d.id + ' opened on ' + d.record + '. Its source must answer by '
          + Credo.when(d.deadline) + '.');
        hideDisputeForm();
      } catch (e) {
        Credo.say(region, 'error', 'No dispute was opened: ' + Credo.explain(e));
      }
      await loadDisputes();
      loadNotifications();
      loadAudit();
    });
  }

  function showRepairForm(list) {
    $('repair-form').classList.remove('hidden');
    $('repair-list').value = list;
    Credo.clear($('repair-message'));
    $('repair-evidence').focus();
    $('repair-form').scrollIntoView({ block: 'nearest' });
  }

  function hideRepairForm(event) {
    if (event) { // Cancel: back to the entry's button
      const back = document.querySelector('button[data-list="' + CSS.escape($('repair-list').value) + '"]');
      if (back) {
        back.focus();
      }
    }
    $('repair-form').reset();
    $('repair-form').classList.add('hidden');
  }

  async function loadRepairs() {
    try {
      const r = await call('GET', '/repairs');
      $('repairs').replaceChildren(Credo.table('Your applications', [
        { label: 'opened', value: (x) => Credo.when(x.opened) },
        { label: 'list', value: (x) => x.list },
        { label: 'state', value: (x) => Credo.el('span', { className: 'tag ' + x.state, text: x.state }) },
        { label: 'decide by', value: (x) => Credo.when(x.deadline) },
        { label: 'evidence', value: (x) => x.evidence },
        { label: 'decision', value: (x) => (x.decided ? Credo.when(x.decided) + (x.reason ? ': ' + x.reason : '') : '') },
      ], r.repairs, 'You have not applied for repair.'));
      state.repairs = r.repairs;
    } catch (e) {
      failed($('repairs'), e);
    }
    drawLists(currentScore());
  }

  async function applyForRepair(event) {
    event.preventDefault();
    await Credo.once($('repair-button'), async () => {
      const evidence = $('repair-evidence').value.trim();
      const region = $('repair-message');
      if (evidence === '') {
        Credo.say(region, 'error', 'Describe the evidence that the reason for the entry is remedied. Nothing was sent.');
        $('repair-evidence').focus();
        return;
      }
      try {
        const r = await call('POST', '/repairs', { list: $('repair-list').value, evidence });
        Credo.say(region, 'ok', 'Application ' + r.id + ' made; the operator decides by ' + Credo.when(r.deadline) + '.');
        hideRepairForm();
      } catch (e) {
        Credo.say(region, 'error', 'No application was made: ' + Credo.explain(e));
      }
      await loadRepairs();
      loadNotifications();
      loadAudit();
    });
  }

  async function loadAudit() {
    try {
      const r = await call('GET', '/audit?limit=100');
      $('audit').replaceChildren(Credo.table('Audit entries about you', [
        { label: 'when', value: (a) => Credo.when(a.at) },
        { label: 'who', value: (a) => a.actor },
        { label: 'what', value: (a) => a.action },
        { label: 'detail', value: (a) => a.detail },
      ], r.entries, 'Nothing about you is in the audit log.'));
    } catch (e) {
      failed($('audit'), e);
    }
  }

  function start() {
    const fragment = Credo.takeFragment();
    if (fragment.subject && fragment.token) {
      Credo.set('subject', fragment.subject);
      Credo.set('subjectToken', fragment.token);
    }
    state.subject = Credo.get('subject');
    state.token = Credo.get('subjectToken');
    $('signin-form').addEventListener('submit', signIn);
    $('signout').addEventListener('click', signOut);
    $('policy').addEventListener('change', drawPolicy);
    $('consent-form').addEventListener('submit', grant);
    $('scoring-button').addEventListener('click', toggleScoring);
    $('cert-form').addEventListener('submit', certify);
    $('dispute-form').addEventListener('submit', dispute);
    $('dispute-statement').addEventListener('input', countWords);
    $('dispute-cancel').addEventListener('click', hideDisputeForm);
    $('repair-form').addEventListener('submit', applyForRepair);
    $('repair-cancel').addEventListener('click', hideRepairForm);
    const inAYear = new Date(Date.now() + 365 * 86400000);
    $('consent-until').min = new Date().toISOString().substring(0, 10);
    $('consent-until').placeholder = inAYear.toISOString().substring(0, 10);
    if (state.subject && state.token) {
      load();
    } else {
      showSignIn();
      Credo.drawn();
    }
  }

  start();
})();
