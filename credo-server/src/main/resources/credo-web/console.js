/* The operator console: the population under each active policy, policy history, and the queues. */
'use strict';

(() => {
  const $ = (id) => document.getElementById(id);
  const message = $('message');
  const state = { token: null, policy: null };

  function call(path, method, body) {
    return Credo.api(method || 'GET', path, { token: state.token, body });
  }

  function showSignIn() {
    $('console').classList.add('hidden');
    $('signout').classList.add('hidden');
    $('signin').classList.remove('hidden');
  }

  async function signIn(event) {
    event.preventDefault();
    await Credo.once($('signin-button'), async () => {
      state.token = $('token').value.trim();
      Credo.set('operatorToken', state.token);
      await load();
    });
  }

  function signOut() {
    Credo.set('operatorToken', null);
    state.token = null;
    showSignIn();
    Credo.say(message, 'info', 'Signed out. The token is forgotten in this tab.');
  }

  async function load() {
    Credo.clear(message);
    let distribution;
    try {
      distribution = await call('/v1/distribution' + (state.policy ? '?policy=' + encodeURIComponent(state.policy) : ''));
    } catch (e) {
      if (e.status === 401 || e.status === 403) {
        Credo.set('operatorToken', null);
        state.token = null;
        showSignIn();
        Credo.say(message, 'error', e.code === 'forbidden_role'
          ? 'This is not an operator token. The console needs an operator token.'
          : Credo.explain(e));
      } else {
        Credo.say(message, 'error', Credo.explain(e));
      }
      return;
    }
    $('signin').classList.add('hidden');
    $('console').classList.remove('hidden');
    $('signout').classList.remove('hidden');
    const select = $('policy');
    select.replaceChildren(...distribution.policies.map((p) => Credo.el('option', { value: p, text: p })));
    select.value = distribution.policy;
    state.policy = distribution.policy;
    drawDistribution(distribution);
    Credo.drawn();
    loadPolicies();
    loadDisputes();
    loadRepairs();
    loadSources();
    loadAudit();
  }

  function drawDistribution(d) {
    $('dist-summary').textContent = d.subjects.toLocaleString('en-GB') + ' subjects ('
      + (d.unscorable || 0).toLocaleString('en-GB') + ' unscorable, not in any bin'
      + (d.scorableRule ? ': ' + d.scorableRule : '') + '), '
      + d.records.toLocaleString('en-GB') + ' records, mean score of the scored ' + Credo.number(d.mean)
      + ' on ' + d.scale.min + '–' + d.scale.max + ' (' + d.title + ', version ' + d.policyVersion
      + '; rescored in ' + Credo.number(d.computedMicros / 1000) + ' ms at ' + Credo.when(d.at)
      + (d.cached ? ', reused: no record has changed since' : '') + ').';
    const width = d.histogram.length ? d.histogram[0].to - d.histogram[0].from : 1;
    Credo.bars($('histogram'), {
      xs: d.histogram.map((b) => b.from),
      ys: d.histogram.map((b) => b.count),
      xRange: [d.scale.min, d.scale.max],
      barSize: 1,
      align: 1,
      xLabel: 'score (bins of ' + Credo.number(width) + ')',
      yLabel: 'subjects',
      height: 260,
    });
    Credo.bars($('grade-chart'), {
      xs: d.grades.map((_, i) => i),
      ys: d.grades.map((g) => g.count),
      labels: d.grades.map((g) => g.grade),
      xRange: [-0.5, d.grades.length - 0.5],
      yLabel: 'subjects',
      fill: '#1b6b2fcc',
      stroke: '#1b6b2f',
    });
    $('grades').replaceChildren(Credo.table('Subjects by grade under ' + d.policy, [
      { label: 'grade', value: (g) => g.grade },
      { label: 'from score', value: (g) => Credo.number(g.min), num: true },
      { label: 'subjects', value: (g) => g.count.toLocaleString('en-GB'), num: true },
      { label: 'share of the scored', value: (g) => (d.subjects - (d.unscorable || 0) ? ((100 * g.count) / (d.subjects - (d.unscorable || 0))).toFixed(1) + ' %' : ''), num: true },
    ], d.grades));
    const lists = Object.entries(d.lists).map(([name, count]) => ({ name, count }));
    $('list-counts').replaceChildren(Credo.table('On a list now', [
      { label: 'list', value: (l) => l.name },
      { label: 'subjects', value: (l) => l.count.toLocaleString('en-GB'), num: true },
    ], lists, 'Nobody is on a list under this policy.'));
  }

  async function loadPolicies() {
    let r;
    try {
      r = await call('/v1/policies');
      $('active').replaceChildren(Credo.table('Active now', [
        { label: 'policy', value: (p) => p.policy },
        { label: 'version', value: (p) => p.version, num: true },
        { label: 'title', value: (p) => p.title },
        { label: 'since', value: (p) => Credo.when(p.since) },
      ], r.active, 'No policy is active.'));
      $('activations').replaceChildren(Credo.table('Every activation, oldest first', [
        { label: 'when', value: (a) => Credo.when(a.at) },
        { label: 'policy', value: (a) => a.policy },
        { label: 'version', value: (a) => a.version, num: true },
        { label: 'title', value: (a) => a.title },
      ], r.activations));
    } catch (e) {
      $('active').replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
      failed($('entries'), e);
      return;
    }
    await loadEntries(r.active);
  }

  function failed(box, e) {
    box.replaceChildren(Credo.el('p', { className: 'message error', text: Credo.explain(e) }));
  }

  function plural(n, one, many) {
    return n.toLocaleString('en-GB') + ' ' + (n === 1 ? one : many);
  }

  let formSeq = 0;

  /** A small form in a table row: its controls get ids of their own so their labels point at them. */
  function rowForm(label, build, submit) {
    const n = ++formSeq;
    const form = Credo.el('form', { className: 'row-form', 'aria-label': label });
    const parts = build((name) => 'f' + n + '-' + name);
    form.append(...parts.controls);
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      // The button pressed (a form may have two) is the one disabled while the request is out.
      const button = event.submitter || parts.controls.find((c) => c.tagName === 'BUTTON');
      const all = Array.from(form.querySelectorAll('button'));
      if (all.some((b) => b.dataset.busy === 'true')) {
        return;
      }
      all.forEach((b) => { b.disabled = true; });
      try {
        await Credo.once(button, () => submit(form, button));
      } finally {
        all.forEach((b) => { b.disabled = false; });
      }
    });
    return form;
  }

  // ---- fairness --------------------------------------------------------------------------------

  let fairness = null;

  async function runFairness() {
    const region = $('fairness-message');
    Credo.clear(region);
    await Credo.once($('fairness-button'), async () => {
      try {
        fairness = await call('/v1/fairness?policy=' + encodeURIComponent(state.policy));
        const select = $('fairness-dimension');
        const dims = fairness.policies.length ? fairness.policies[0].dimensions : [];
        const chosen = select.value;
        select.replaceChildren(...dims.map((d, i) => Credo.el('option', { value: String(i), text: d.dimension })));
        if (chosen && Number(chosen) < dims.length) {
          select.value = chosen;
        }
        drawFairness();
      } catch (e) {
        Credo.say(region, 'error', 'No fairness report: ' + Credo.explain(e));
      }
    });
  }

  function drawFairness() {
    if (!fairness || !fairness.policies.length) {
      return;
    }
    const n = (x) => x.toLocaleString('en-GB');
    const pct = (x) => (x === null ? '—' : (100 * x).toFixed(1) + ' %');
    const p = fairness.policies[0];
    const d = p.dimensions[Number($('fairness-dimension').value || 0)];
    $('fairness-summary').textContent = p.policy + ' by ' + d.dimension + ', as of ' + Credo.when(fairness.asOf) + ': '
      + n(fairness.subjects) + ' subjects, ' + n(fairness.withAttributes) + ' with attributes on file.';
    const judged = d.groups.filter((g) => g.meanScore !== null);
    const chart = $('fairness-chart');
    if (judged.length) {
      chart.classList.remove('hidden');
      Credo.bars(chart, {
        xs: judged.map((_, i) => i),
        ys: judged.map((g) => g.meanScore),
        labels: judged.map((g) => g.group),
        xRange: [-0.5, judged.length - 0.5],
        yLabel: 'mean score',
        height: 200,
      });
    } else {
      chart.classList.add('hidden');
    }
    const parts = [Credo.table('Groups', [
      { label: 'group', value: (g) => g.group },
      { label: 'subjects', value: (g) => n(g.subjects), num: true },
      { label: 'scored', value: (g) => n(g.scored), num: true },
      { label: 'mean score', value: (g) => (g.meanScore === null ? (g.group === 'unknown' ? 'not compared' : 'too small to judge') : Credo.number(g.meanScore)), num: true },
    ], d.groups)];
    d.purposes.forEach((purpose) => {
      const table = Credo.table('Purpose ' + purpose.purpose + ': selection rates (most favoured: ' + (purpose.mostFavoured || 'none') + ')', [
        { label: 'group', value: (r) => r.group },
        { label: 'allowed', value: (r) => n(r.selected) + ' of ' + n(r.decided), num: true },
        { label: 'rate', value: (r) => pct(r.rate), num: true },
        { label: 'impact ratio', value: (r) => (r.impactRatio === null ? '—' : r.impactRatio.toFixed(3)), num: true },
        { label: 'p', value: (r) => (r.pValue === null ? '—' : r.pValue.toFixed(4)), num: true },
        { label: 'judgement', value: (r) => (r.fourFifths ? '⚠ ' : '') + r.judgement },
      ], purpose.groups);
      parts.push(table);
    });
    parts.push(Credo.table('Rules driving a gap: points lost per subject', [
      { label: 'rule', value: (x) => x.rule },
      { label: 'gap', value: (x) => Credo.number(x.gap), num: true },
      { label: 'by group', value: (x) => Object.entries(x.pointsLostPerSubject).map(([g, v]) => g + ' ' + Credo.number(v)).join('; ') },
    ], d.rules, 'No rule takes points.'));
    $('fairness').replaceChildren(...parts);
  }

  // ---- simulation ------------------------------------------------------------------------------

  let simulated = null;

  async function simulate(event) {
    event.preventDefault();
    const region = $('simulate-message');
    Credo.clear(region);
    const yaml = $('simulate-yaml').value;
    if (!yaml.trim()) {
      Credo.say(region, 'error', 'Paste a policy first. Nothing was sent.');
      return;
    }
    await Credo.once($('simulate-button'), async () => {
      const body = { name: 'console', yaml };
      const against = $('simulate-against').value.trim();
      if (against) {
        body.against = against;
      }
      try {
        const r = await call('/v1/policies/simulate', 'POST', body);
        simulated = yaml;
        drawSimulation(r);
        $('activate-button').classList.remove('hidden');
        Credo.say(region, 'ok', 'Simulation ' + r.simulation + ' saved (report SHA-256 ' + r.sha256.slice(0, 16) + '…, in the audit log).');
      } catch (e) {
        simulated = null;
        $('activate-button').classList.add('hidden');
        Credo.say(region, 'error', 'No simulation: ' + Credo.explain(e));
      }
    });
  }

  async function activateSimulated() {
    const region = $('simulate-message');
    if (simulated === null || simulated !== $('simulate-yaml').value) {
      Credo.say(region, 'error', 'The text changed since it was simulated: simulate it again first. Nothing was sent.');
      return;
    }
    await Credo.once($('activate-button'), async () => {
      try {
        const r = await call('/v1/policies', 'POST', { name: 'console', yaml: simulated });
        Credo.say(region, 'ok', 'Activated ' + r.policy + ' version ' + r.version
          + (r.simulation ? ', resting on simulation ' + r.simulation : '') + '.');
        $('activate-button').classList.add('hidden');
        loadPolicies();
      } catch (e) {
        Credo.say(region, 'error', 'Not activated: ' + Credo.explain(e));
      }
    });
  }

  function drawSimulation(r) {
    const rep = r.report;
    const n = (x) => x.toLocaleString('en-GB');
    $('simulation-summary').textContent = rep.policy + ' against ' + (rep.against || 'nothing active')
      + ', as of ' + Credo.when(rep.asOf) + ': ' + n(rep.subjects) + ' subjects, ' + n(rep.records) + ' records; '
      + n(rep.shift.moved) + ' of ' + n(rep.shift.compared) + ' scores move (' + n(rep.shift.up) + ' up, '
      + n(rep.shift.down) + ' down, mean ' + Credo.number(rep.shift.mean) + ').';
    const chart = $('shift-chart');
    if (rep.shift.histogram.length) {
      chart.classList.remove('hidden');
      Credo.bars(chart, {
        xs: rep.shift.histogram.map((b) => b.from),
        ys: rep.shift.histogram.map((b) => b.subjects),
        barSize: 1,
        align: 1,
        xLabel: 'score shift (after − before)',
        yLabel: 'subjects',
        height: 200,
      });
    } else {
      chart.classList.add('hidden');
    }
    const seen = new Set();
    Object.values(rep.grades).forEach((row) => Object.keys(row).forEach((g) => seen.add(g)));
    const columns = rep.gradeOrder.filter((g) => seen.has(g));
    const rows = Object.entries(rep.grades).map(([before, row]) => ({ before, row }));
    const transitions = Credo.table('Grades: before (rows) → after (columns)', [
      { label: 'before', value: (x) => x.before },
      ...columns.map((g) => ({ label: g, value: (x) => n(x.row[g] || 0), num: true })),
    ], rows);
    const lists = Credo.table('Lists: subjects entering and leaving', [
      { label: 'list', value: (l) => l.list + ' (' + l.kind + ')' },
      { label: 'before', value: (l) => n(l.before), num: true },
      { label: 'after', value: (l) => n(l.after), num: true },
      { label: 'enter', value: (l) => n(l.added), num: true },
      { label: 'leave', value: (l) => n(l.removed), num: true },
    ], rep.lists, 'Nobody is on a list before or after.');
    const decisions = Credo.table('Decisions that flip, per purpose (consent aside)', [
      { label: 'purpose', value: (d) => d.purpose },
      { label: 'answers change', value: (d) => n(d.flipped) + ' of ' + n(d.decided), num: true },
      { label: 'how', value: (d) => Object.entries(d.flips).map(([f, c]) => f + ' ' + n(c)).join(', ') || '—' },
    ], rep.decisions);
    const rules = Credo.table('Rules: records counted before → after', [
      { label: 'record type', value: (x) => x.type },
      { label: 'before', value: (x) => (x.before < 0 ? '—' : n(x.before)), num: true },
      { label: 'after', value: (x) => (x.after < 0 ? '—' : n(x.after)), num: true },
      { label: 'changed', value: (x) => x.changed.join(', ') + (x.after === 0 ? ' (never fires)' : '') },
    ], rep.rules);
    const side = (s) => (s.value === null ? s.grade : Credo.number(s.value) + ' ' + s.grade) + (s.lists.length ? ' [' + s.lists.join(', ') + ']' : '');
    const sample = Credo.table('Sample of subjects who change (by pseudonym)', [
      { label: 'subject', value: (d) => d.subject.slice(0, 16) + '…' },
      { label: 'before', value: (d) => side(d.before) },
      { label: 'after', value: (d) => side(d.after) },
      { label: 'rules', value: (d) => d.rules.map((x) => x.type + ' ' + Credo.number(x.before) + ' → ' + Credo.number(x.after)).join('; ') },
    ], rep.sample, 'Nobody changes.');
    const ratio = (x) => (x === null ? '—' : x.toFixed(3));
    const watched = rep.fairness.filter((f) => f.fourFifthsAfter || f.fourFifthsBefore
      || (f.rateBefore !== null && Math.abs(f.rateAfter - f.rateBefore) >= 0.01));
    const fair = Credo.table('Fairness: groups whose selection moves or is under four fifths', [
      { label: 'group', value: (f) => f.dimension + ': ' + f.group },
      { label: 'purpose', value: (f) => f.purpose },
      { label: 'selection', value: (f) => ratio(f.rateBefore) + ' → ' + ratio(f.rateAfter), num: true },
      { label: 'impact ratio', value: (f) => ratio(f.ratioBefore) + ' → ' + ratio(f.ratioAfter), num: true },
      { label: 'flag', value: (f) => (f.fourFifthsAfter ? (f.fourFifthsBefore ? 'still under 4/5' : '⚠ newly under 4/5') : (f.fourFifthsBefore ? 'no longer under 4/5' : '')) },
    ], watched, 'No group large enough to judge moves by a point or more, and none is under four fifths.');
    $('simulation').replaceChildren(transitions, lists, decisions, fair, rules, sample);
  }

  // ---- disputes --------------------------------------------------------------------------------

  function resolveForm(d) {
    return rowForm('Answer dispute ' + d.id, (id) => ({
      controls: [
        Credo.el('fieldset', null,
          Credo.el('legend', { text: 'Outcome of ' + d.id }),
          Credo.el('span', null,
            Credo.el('input', { type: 'radio', id: id('upheld'), name: id('outcome'), value: 'upheld' }),
            ' ', Credo.el('label', { for: id('upheld'), text: 'upheld: withdraw the record' })),
          Credo.el('span', null,
            Credo.el('input', { type: 'radio', id: id('rejected'), name: id('outcome'), value: 'rejected', checked: true }),
            ' ', Credo.el('label', { for: id('rejected'), text: 'rejected' }))),
        Credo.el('label', { for: id('reason'), text: 'Reason' }),
        Credo.el('input', { type: 'text', id: id('reason'), 'data-dispute-reason': d.id, placeholder: 'why (needed to reject)' }),
        Credo.el('button', { type: 'submit', 'data-resolve': d.id, text: 'Resolve' }),
      ],
    }), async (form) => {
      const region = $('dispute-queue-message');
      const outcome = form.querySelector('input[type=radio]:checked').value;
      const reason = form.querySelector('input[type=text]').value.trim();
      let body;
      if (outcome === 'upheld') {
        body = { outcome: 'upheld', action: 'withdraw' };
        if (reason) {
          body.reason = reason;
        }
      } else {
        if (!reason) {
          Credo.say(region, 'error', 'A rejection needs a reason the subject can read. Nothing was sent.');
          form.querySelector('input[type=text]').focus();
          return;
        }
        body = { outcome: 'rejected', reason };
      }
      try {
        const r = await call('/v1/disputes/' + encodeURIComponent(d.id) + '/resolution', 'POST', body);
        Credo.say(region, 'ok', 'Dispute ' + r.id + ' on ' + r.record + ': ' + r.state
          + (r.state === 'upheld' ? ', the record is withdrawn.' : ', the record stands.'));
      } catch (e) {
        Credo.say(region, 'error', 'Dispute ' + d.id + ' was not answered: ' + Credo.explain(e));
      }
      await loadDisputes();
      loadSources();
    });
  }

  async function loadDisputes() {
    try {
      const r = await call('/v1/disputes?state=open&limit=1000');
      const open = r.disputes.slice().sort((a, b) => Date.parse(a.deadline) - Date.parse(b.deadline));
      const columns = [
        {
          label: 'deadline',
          value: (d) => Credo.el('span', null, Credo.when(d.deadline),
            d.overdue ? Credo.el('strong', { className: 'tag rejected', text: 'overdue' }) : null),
        },
        { label: 'dispute', value: (d) => d.id },
        { label: 'record', value: (d) => d.record },
        { label: 'opened', value: (d) => Credo.when(d.opened) },
        { label: 'statement', value: (d) => d.statement },
        { label: 'answer', value: resolveForm },
      ];
      columns.rowClass = (d) => (d.overdue ? 'overdue' : null);
      $('disputes').replaceChildren(Credo.table('Open disputes, nearest deadline first', columns, open, 'No open dispute.'));
    } catch (e) {
      failed($('disputes'), e);
    }
  }

  // ---- repairs ---------------------------------------------------------------------------------

  function decideForm(x) {
    return rowForm('Decide repair application ' + x.id, (id) => ({
      controls: [
        Credo.el('label', { for: id('reason'), text: 'Reason' }),
        // Enter in the reason field would press Grant, the form's first button: the choice is explicit.
        Credo.el('input', {
          type: 'text', id: id('reason'), 'data-repair-reason': x.id, placeholder: 'needed to refuse',
          onkeydown: (e) => e.key === 'Enter' && e.preventDefault(),
        }),
        Credo.el('button', { type: 'submit', value: 'grant', 'data-grant': x.id, text: 'Grant' }),
        Credo.el('button', { type: 'submit', value: 'refuse', className: 'secondary', 'data-refuse': x.id, text: 'Refuse' }),
      ],
    }), async (form, button) => {
      const region = $('repair-queue-message');
      const granted = button.value === 'grant';
      const reason = form.querySelector('input[type=text]').value.trim();
      if (!granted && !reason) {
        Credo.say(region, 'error', 'A refusal needs a reason the subject can read. Nothing was sent.');
        form.querySelector('input[type=text]').focus();
        return;
      }
      try {
        const r = await call('/v1/repairs/' + encodeURIComponent(x.id) + '/decision', 'POST', { granted, reason });
        Credo.say(region, 'ok', 'Application ' + r.id + ' (' + r.list + '): ' + r.state + '.');
      } catch (e) {
        Credo.say(region, 'error', 'Application ' + x.id + ' was not decided: ' + Credo.explain(e));
      }
      await loadRepairs();
    });
  }

  async function loadRepairs() {
    try {
      const r = await call('/v1/repairs?state=open&limit=1000');
      $('repairs').replaceChildren(Credo.table('Open applications, nearest deadline first', [
        { label: 'decide by', value: (x) => Credo.when(x.deadline) },
        { label: 'application', value: (x) => x.id },
        { label: 'list', value: (x) => x.list },
        { label: 'basis', value: (x) => x.basis },
        { label: 'evidence', value: (x) => x.evidence },
        { label: 'decision', value: decideForm },
      ], r.repairs, 'No open application.'));
    } catch (e) {
      failed($('repairs'), e);
    }
  }

  // ---- sources ---------------------------------------------------------------------------------

  function duration(seconds) {
    if (seconds === null || seconds === undefined) {
      return '—';
    }
    if (seconds < 3600) {
      return Math.round(seconds / 60) + ' min';
    }
    if (seconds < 2 * 86400) {
      return Credo.number(seconds / 3600) + ' h';
    }
    return Credo.number(seconds / 86400) + ' days';
  }

  function suspensionForm(s) {
    if (s.suspended) {
      return rowForm('Resume source ' + s.id, () => ({
        controls: [Credo.el('button', { type: 'submit', className: 'secondary', 'data-resume': s.id, text: 'Resume' })],
      }), async () => {
        const region = $('source-message');
        try {
          const r = await call('/v1/sources/' + encodeURIComponent(s.id) + '/suspension', 'DELETE');
          Credo.say(region, 'ok', 'Source ' + r.source + ' resumed; ' + r.released + ' held records released.');
        } catch (e) {
          Credo.say(region, 'error', 'Source ' + s.id + ' was not resumed: ' + Credo.explain(e));
        }
        await loadSources();
      });
    }
    return rowForm('Suspend source ' + s.id, (id) => ({
      controls: [
        Credo.el('label', { for: id('reason'), text: 'Reason' }),
        Credo.el('input', { type: 'text', id: id('reason'), 'data-suspend-reason': s.id }),
        Credo.el('button', { type: 'submit', 'data-suspend': s.id, text: 'Suspend' }),
      ],
    }), async (form) => {
      const region = $('source-message');
      const reason = form.querySelector('input[type=text]').value.trim();
      if (!reason) {
        Credo.say(region, 'error', 'Say why ' + s.id + ' is suspended. Nothing was sent.');
        form.querySelector('input[type=text]').focus();
        return;
      }
      try {
        await call('/v1/sources/' + encodeURIComponent(s.id) + '/suspension', 'POST', { reason });
        Credo.say(region, 'ok', 'Source ' + s.id + ' suspended: its new records are held, not scored.');
      } catch (e) {
        Credo.say(region, 'error', 'Source ' + s.id + ' was not suspended: ' + Credo.explain(e));
      }
      await loadSources();
    });
  }

  async function loadSources() {
    try {
      const r = await call('/v1/sources');
      $('sources').replaceChildren(Credo.table('Sources (flagged for review above an upheld rate of '
        + Credo.number(100 * r.reviewThreshold) + ' % over at least ' + r.reviewMinimumDisputes + ' answered disputes; expired ones apart)', [
        { label: 'source', value: (s) => s.id },
        { label: 'records', value: (s) => s.records.toLocaleString('en-GB'), num: true },
        { label: 'disputes', value: (s) => s.disputes + (s.open ? ' (' + s.open + ' open)' : ''), num: true },
        { label: 'upheld', value: (s) => s.upheld, num: true },
        { label: 'rejected', value: (s) => s.rejected, num: true },
        { label: 'expired', value: (s) => s.expired, num: true },
        { label: 'upheld rate', value: (s) => Credo.number(100 * s.upheldRate) + ' % of answered', num: true },
        { label: 'median answer', value: (s) => duration(s.medianAnswerSeconds), num: true },
        { label: 'flagged', value: (s) => (s.flaggedForReview ? Credo.el('strong', { className: 'tag rejected', text: 'for review' }) : 'no') },
        {
          label: 'suspended',
          value: (s) => (s.suspended ? 'since ' + Credo.when(s.suspendedSince) + (s.suspensionReason ? ': ' + s.suspensionReason : '') : 'no'),
        },
        { label: 'action', value: suspensionForm },
      ], r.sources, 'No source is registered.'));
    } catch (e) {
      failed($('sources'), e);
    }
  }

  // ---- lists -----------------------------------------------------------------------------------

  /** The entries of every list of every active policy, each list as its own table. */
  async function loadEntries(active) {
    const lists = active.flatMap((p) => (p.lists || []).map((l) => ({ policy: p.policy, name: l.name })));
    if (lists.length === 0) {
      $('entries').replaceChildren(Credo.el('p', { className: 'muted', text: 'No active policy defines a list.' }));
      return;
    }
    const parts = [];
    for (const { policy, name } of lists) {
      try {
        const r = await call('/v1/lists/' + encodeURIComponent(name) + '?policy=' + encodeURIComponent(policy));
        const shown = r.entries.slice(0, 200);
        parts.push(Credo.table(name + ' (' + r.kind + ' list of ' + policy + (r.public ? ', public' : '') + '): '
          + plural(r.entries.length, 'entry', 'entries') + (r.entries.length > shown.length ? ', the first ' + shown.length + ' shown' : ''), [
          { label: 'subject (pseudonym)', value: (x) => Credo.el('code', { title: x.subjectRef || '', text: (x.subjectRef || '').substring(0, 12) + '…' }) },
          { label: 'basis', value: (x) => x.basis },
          { label: 'notice from', value: (x) => Credo.day(x.noticeFrom) },
          { label: 'in effect from', value: (x) => Credo.day(x.effectiveFrom) },
          { label: 'until', value: (x) => Credo.day(x.until) || 'open' },
          { label: 'in effect', value: (x) => (x.inEffect ? 'yes' : 'in notice') },
        ], shown, name + ' (' + r.kind + ' list of ' + policy + '): nobody is on it.'));
      } catch (e) {
        parts.push(Credo.el('p', { className: 'message error', text: name + ': ' + Credo.explain(e) }));
      }
    }
    $('entries').replaceChildren(...parts);
  }

  // ---- audit -----------------------------------------------------------------------------------

  async function loadAudit() {
    await Credo.once($('audit-button'), async () => {
      try {
        const r = await call('/v1/audit/verify');
        const text = r.ok
          ? 'The chain is intact: ' + r.entries.toLocaleString('en-GB') + ' entries, '
            + r.checkpoints + ' signed checkpoints' + (r.checkpoints && r.signaturesChecked ? ' (signatures checked)' : '') + ', in '
            + Credo.number(r.seconds) + ' s.'
          : 'The chain is broken at entry ' + r.firstBad + ': ' + r.reason + ' (' + r.entries.toLocaleString('en-GB') + ' entries checked).';
        $('audit').replaceChildren(Credo.el('p', { id: 'audit-status', className: 'message ' + (r.ok ? 'ok' : 'error'), text }));
      } catch (e) {
        failed($('audit'), e);
      }
    });
  }

  function start() {
    const fragment = Credo.takeFragment();
    if (fragment.token) {
      Credo.set('operatorToken', fragment.token);
    }
    state.token = Credo.get('operatorToken');
    $('signin-form').addEventListener('submit', signIn);
  $('simulate-form').addEventListener('submit', simulate);
  $('fairness-button').addEventListener('click', runFairness);
  $('fairness-dimension').addEventListener('change', drawFairness);
  $('activate-button').addEventListener('click', activateSimulated);
    $('signout').addEventListener('click', signOut);
    $('audit-button').addEventListener('click', loadAudit);
    $('policy').addEventListener('change', () => {
      state.policy = $('policy').value;
      load();
    });
    if (state.token) {
      load();
    } else {
      showSignIn();
      Credo.drawn();
    }
  }

  start();
})();
