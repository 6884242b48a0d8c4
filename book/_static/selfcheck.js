/* The course book's self-check: each lesson's quiz answerable in the page, and its flashcards.
 *
 * Grading follows course_utils/quiz/questions.py rule for rule (single choice, multiple choice
 * with partial credit, numbers with ranges and tolerance, short text after normalisation,
 * matching); tests/test_book_selfcheck.py runs one table of cases through both. No network and
 * no kernel: the lesson's bank is a script next to this one (_static/selfcheck/<lesson>.js),
 * so the answers are in the page's source, as in any self-assessment graded without a server.
 * Progress stays in this browser (localStorage), apart from the notebooks' progress store.
 */
(function () {
  "use strict";

  const CORRECT = "✔ Correct";
  const PARTLY = "◐ Partly right";
  const WRONG = "✘ Not quite";
  const UNGRADED = "✎ Not checked";
  const NUMBER_HINT = "Type a number such as 26, -0.5, 1.5, 1e-3, 2^10 or 22/7.";

  class AnswerError extends Error {}

  function verdict(label, detail) {
    return detail ? `${label} — ${detail}` : `${label}.`;
  }

  // ---- numbers (questions.parse_number) ----
  const SUPERSCRIPTS = "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻";
  const PLAIN = "0123456789+-";
  const DECIMAL = String.raw`[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?`;
  const POWER = new RegExp(String.raw`^(?:(${DECIMAL})(?:x|\*|·|×))?(${DECIMAL})(?:\^|\*\*)([+-]?\d+)$`);
  const FRACTION = new RegExp(`^(${DECIMAL})/(${DECIMAL})$`);
  const THOUSANDS = /^[+-]?\d{1,3}(?:,\d{3})+(?:\.\d*)?$/;
  const EURO_THOUSANDS = /^[+-]?\d{1,3}(?:\.\d{3})+,\d+$/;
  const ONE_GROUP = /^[+-]?\d{1,3},\d{3}$/;
  const PLAIN_NUMBER = new RegExp(`^(?:${DECIMAL})$`);

  function power(base, digits) {
    const exponent = digits.length <= 6 ? parseInt(digits, 10) : null;
    if (exponent === null || Math.abs(exponent) > 400) {
      throw new AnswerError(`The exponent '${digits}' is too large. ${NUMBER_HINT}`);
    }
    return Math.pow(base, exponent);
  }

  function readTextNumber(response) {
    let text = response.replace(/[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+/g,
      (run) => "^" + [...run].map((c) => PLAIN[SUPERSCRIPTS.indexOf(c)]).join(""));
    text = text.normalize("NFKC").trim().replaceAll("−", "-").replaceAll("⁄", "/");
    if (!text) throw new AnswerError(`Type a number first. ${NUMBER_HINT}`);
    text = text.replace(/(?<=\d)[\s_'](?=\d)/g, "");
    text = text.toLowerCase().replace(/\s*([*/^x×·])\s*/g, "$1");
    if (ONE_GROUP.test(text)) {
      const [whole, rest] = text.split(",");
      throw new AnswerError(`'${response.trim()}' could be ${whole}${rest} (a comma between ` +
        `thousands) or ${whole}.${rest} (a decimal comma). Type ${whole}${rest} or ${whole}.${rest}.`);
    }
    if (THOUSANDS.test(text)) text = text.replaceAll(",", "");
    else if (EURO_THOUSANDS.test(text)) text = text.replaceAll(".", "").replace(",", ".");
    else if (text.split(",").length === 2 && !text.includes(".")) text = text.replace(",", ".");
    let match = FRACTION.exec(text);
    if (match) {
      const denominator = Number(match[2]);
      if (denominator === 0) throw new AnswerError(`'${response}' divides by zero. ${NUMBER_HINT}`);
      return Number(match[1]) / denominator;
    }
    match = POWER.exec(text);
    if (match) return (match[1] ? Number(match[1]) : 1) * power(Number(match[2]), match[3]);
    if (PLAIN_NUMBER.test(text)) return Number(text);
    const special = /^([+-]?)(inf|infinity|nan)$/.exec(text);
    if (special) return special[2] === "nan" ? NaN : (special[1] === "-" ? -Infinity : Infinity);
    throw new AnswerError(`'${response}' is not a number. ${NUMBER_HINT}`);
  }

  function parseNumber(response) {
    let value;
    if (typeof response === "number") value = response;
    else if (typeof response === "string") value = readTextNumber(response);
    else if (response === null || response === undefined) {
      throw new AnswerError(`Type a number first. ${NUMBER_HINT}`);
    } else throw new AnswerError(`Expected a single number. ${NUMBER_HINT}`);
    if (!Number.isFinite(value)) {
      throw new AnswerError(`Expected a finite number, got ${value}. ${NUMBER_HINT}`);
    }
    return value;
  }

  function roundSignificant(x, digits) {
    return x === 0 || !Number.isFinite(x) ? x : Number(x.toPrecision(digits));
  }

  function inRange(range, x) {
    const eps = 1e-9 * Math.max(Math.abs(range.low), Math.abs(range.high));
    return range.low - eps <= x && x <= range.high + eps;
  }

  // ---- text (questions.normalize) ----
  const QUOTES = { "'": "'", '"': '"', "`": "`", "‘": "’", "“": "”", "„": "“", "«": "»", "‹": "›" };

  function unquoted(text) {
    while (text.length >= 2 && QUOTES[text[0]] === text[text.length - 1]) {
      text = text.slice(1, -1).trim();
    }
    return text;
  }

  function casefold(text) {
    // Python's str.casefold for the letters where it differs from lower case.
    return text.toLowerCase().replaceAll("ß", "ss").replaceAll("ς", "σ");
  }

  function normalize(text, caseSensitive = false) {
    let out = "";
    for (const char of text.normalize("NFKC")) {
      if (/\p{Cf}/u.test(char)) continue;
      out += /\p{Pd}/u.test(char) || char === "−" ? "-" : char;
    }
    if (!caseSensitive) out = casefold(out);
    out = unquoted(out.trim().replace(/\.+$/, "").trim());
    out = out.replace(/[\s\-_]+/g, " ").trim();
    out = out.replace(/\s*([=,+()[\]{}])\s*/g, "$1");
    return out.replace(/\.+$/, "").trim();
  }

  // ---- grading, one function per kind (questions.<Kind>._grade) ----
  function optionIndex(options, choice) {
    if (!Number.isInteger(choice) || choice < 0 || choice >= options.length) {
      throw new AnswerError(`There is no option ${choice}.`);
    }
    return choice;
  }

  const GRADERS = {
    single(q, response) {
      if (response === null || response === undefined || response === "") {
        throw new AnswerError("Choose an option first.");
      }
      if (Array.isArray(response)) throw new AnswerError("Choose exactly one option.");
      const option = q.options[optionIndex(q.options, response)];
      const label = option.correct ? CORRECT : WRONG;
      return { correct: option.correct, score: option.correct ? 1 : 0,
        feedback: verdict(label, option.explanation) };
    },
    multiple(q, response) {
      if (!Array.isArray(response)) response = response === null ? [] : [response];
      const ticked = [...new Set(response.map((c) => optionIndex(q.options, c)))].sort((a, b) => a - b);
      if (!ticked.length) throw new AnswerError("Tick at least one option.");
      const nRight = q.options.filter((o) => o.correct).length;
      const right = ticked.filter((i) => q.options[i].correct).length;
      const wrong = ticked.length - right;
      const score = Math.max(0, (right - wrong) / nRight);
      const correct = right === nRight && wrong === 0;
      const label = correct ? CORRECT : score > 0 ? PARTLY : WRONG;
      let summary = `${right} of ${nRight} right options ticked`;
      if (wrong) summary += `, ${wrong} wrong option${wrong > 1 ? "s" : ""} ticked`;
      const lines = [`${label} — score ${score.toFixed(2)} (${summary})`];
      for (const i of ticked) {
        const option = q.options[i];
        const reason = (option.explanation || "").trim();
        lines.push(`${option.correct ? "✔" : "✘"} ${optionLabel(option)}` + (reason ? ` — ${reason}` : ""));
      }
      return { correct, score, feedback: lines.join("\n") };
    },
    numeric(q, response) {
      let value = parseNumber(response);
      if (q.precision) value = roundSignificant(value, q.precision);
      for (const range of q.accept) {
        if (inRange(range, value)) return { correct: true, score: 1, feedback: verdict(CORRECT, range.explanation) };
      }
      for (const range of q.feedback) {
        if (inRange(range, value)) return { correct: false, score: 0, feedback: verdict(WRONG, range.explanation) };
      }
      const detail = q.default_feedback || `${Number(value.toPrecision(6))} is not the expected value. Try again.`;
      return { correct: false, score: 0, feedback: verdict(WRONG, detail) };
    },
    text(q, response) {
      if (typeof response !== "string" || !response.trim()) throw new AnswerError("Type an answer first.");
      const given = normalize(response, q.case_sensitive);
      if (q.answers.some((a) => normalize(a, q.case_sensitive) === given)) {
        return { correct: true, score: 1, feedback: verdict(CORRECT) };
      }
      for (const [answer, explanation] of Object.entries(q.wrong_answers || {})) {
        if (given === normalize(answer, q.case_sensitive)) {
          return { correct: false, score: 0, feedback: verdict(WRONG, explanation) };
        }
      }
      return { correct: false, score: 0, feedback: verdict(WRONG, q.default_feedback || `'${response.trim()}' is not the answer expected.`) };
    },
    match(q, response) {
      if (!Array.isArray(response) || response.length !== q.pairs.length) {
        throw new AnswerError(`Give one answer for each of the ${q.pairs.length} items.`);
      }
      const missing = response.filter((c) => c === null || c === undefined || c === "").length;
      if (missing) {
        throw new AnswerError(`Choose an answer for every item first (${missing} of ${q.pairs.length} left).`);
      }
      for (const choice of response) {
        if (!q.options.includes(choice)) throw new AnswerError(`'${choice}' is not one of the options.`);
      }
      const right = q.pairs.map((p, i) => response[i] === p.answer);
      const nRight = right.filter(Boolean).length;
      const total = q.pairs.length;
      const correct = nRight === total;
      const label = correct ? CORRECT : nRight ? PARTLY : WRONG;
      const custom = (correct ? q.correct_feedback : q.incorrect_feedback) || "";
      const summary = custom.replaceAll("{correct}", String(nRight)).replaceAll("{total}", String(total));
      const lines = [`${label} — ${summary || `${nRight} of ${total} matched correctly`}`];
      q.pairs.forEach((p, i) => {
        let line = `${right[i] ? "✔" : "✘"} ${p.label} → ${response[i]}`;
        if (p.explanation && right[i]) line += ` — ${p.explanation}`;
        lines.push(line);
      });
      return { correct, score: nRight / total, feedback: lines.join("\n") };
    },
  };

  /** Grade `response` to question `q` (the bank's JSON); never throws. */
  function grade(q, response) {
    try {
      return { valid: true, ...GRADERS[q.kind](q, response) };
    } catch (err) {
      if (!(err instanceof AnswerError)) throw err;
      return { correct: false, score: 0, valid: false, feedback: verdict(UNGRADED, err.message) };
    }
  }

  function optionLabel(option) {
    return [option.text, option.code].filter(Boolean).join(" ").trim();
  }

  // ---- the page: a per-reader shuffle, progress in localStorage ----
  const STORE = "course-book-selfcheck";

  function stored() {
    try {
      return JSON.parse(localStorage.getItem(STORE)) || {};
    } catch (err) {
      return {};
    }
  }

  function save(data) {
    try {
      localStorage.setItem(STORE, JSON.stringify(data));
    } catch (err) { /* private mode: the page still works, without memory */ }
  }

  function readerSeed() {
    const data = stored();
    if (!data.reader) {
      data.reader = Math.floor(Math.random() * 2 ** 31);
      save(data);
    }
    return data.reader;
  }

  function hash(text) {
    let h = 2166136261;
    for (const c of text) h = Math.imul(h ^ c.codePointAt(0), 16777619) >>> 0;
    return h;
  }

  /** The indices 0..n-1 in an order fixed for this reader and `key` (Fisher-Yates). */
  function shuffled(n, key) {
    let state = hash(`${readerSeed()}/${key}`) || 1;
    const next = () => {
      state ^= state << 13; state >>>= 0;
      state ^= state >>> 17;
      state ^= state << 5; state >>>= 0;
      return state / 2 ** 32;
    };
    const order = [...Array(n).keys()];
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [order[i], order[j]] = [order[j], order[i]];
    }
    return order;
  }

  function el(tag, props = {}, children = []) {
    const node = document.createElement(tag);
    Object.assign(node, props);
    for (const child of children) node.append(child);
    return node;
  }

  function inlineCode(text) {
    // `code` in prompts and options, as in the notebooks; everything else as plain text.
    const span = el("span");
    text.split(/(`[^`]+`)/).forEach((part) => {
      span.append(part.startsWith("`") && part.endsWith("`") && part.length > 2
        ? el("code", { textContent: part.slice(1, -1) }) : part);
    });
    return span;
  }

  function questionBox(lesson, q, number) {
    const key = `${lesson}/${q.id}`;
    const box = el("div", { className: "selfcheck-question" });
    box.dataset.question = q.id;
    box.append(el("p", { className: "selfcheck-prompt" }, [`${number}. `, inlineCode(q.prompt)]));
    if (q.code) box.append(el("pre", {}, [el("code", { textContent: q.code })]));
    let read;
    if (q.kind === "single" || q.kind === "multiple") {
      const type = q.kind === "single" ? "radio" : "checkbox";
      const order = q.shuffle ? shuffled(q.options.length, key) : [...q.options.keys()];
      const list = el("div", { className: "selfcheck-options" });
      for (const i of order) {
        const input = el("input", { type, name: key, value: String(i) });
        const label = el("label", {}, [input, " ", inlineCode(q.options[i].text)]);
        if (q.options[i].code) label.append(el("pre", {}, [el("code", { textContent: q.options[i].code })]));
        list.append(label);
      }
      box.append(list);
      read = () => {
        const ticked = [...list.querySelectorAll("input:checked")].map((x) => Number(x.value));
        return q.kind === "single" ? (ticked.length ? ticked[0] : null) : ticked;
      };
    } else if (q.kind === "match") {
      const rows = q.shuffle_pairs ? shuffled(q.pairs.length, `${key}/pairs`) : [...q.pairs.keys()];
      const opts = q.shuffle_options ? shuffled(q.options.length, `${key}/options`) : [...q.options.keys()];
      const selects = [];
      const table = el("div", { className: "selfcheck-match" });
      for (const r of rows) {
        const select = el("select", {}, [el("option", { value: "", textContent: "—" })]);
        for (const o of opts) select.append(el("option", { value: q.options[o], textContent: q.options[o] }));
        selects[r] = select;
        table.append(el("label", {}, [inlineCode(q.pairs[r].label), " → ", select]));
      }
      box.append(table);
      read = () => selects.map((s) => s.value || null);
    } else {
      const input = el("input", { type: "text", className: "selfcheck-input" });
      input.setAttribute("aria-label", "your answer");
      box.append(input);
      read = () => input.value;
    }
    const feedback = el("div", { className: "selfcheck-feedback", role: "status" });
    const explanation = el("div", { className: "selfcheck-explanation", hidden: true },
      [el("strong", { textContent: "Why: " }), inlineCode(q.explanation || "")]);
    const check = el("button", { type: "button", className: "selfcheck-check", textContent: "Check" });
    check.addEventListener("click", () => {
      const result = grade(q, read());
      feedback.textContent = result.feedback;
      feedback.dataset.verdict = !result.valid ? "invalid" : result.correct ? "correct" : result.score > 0 ? "partly" : "wrong";
      if (!result.valid) return; // an unreadable answer is not an attempt
      explanation.hidden = false; // explanations after a first attempt
      const data = stored();
      data.answers = data.answers || {};
      const entry = data.answers[key] || { attempts: 0 };
      entry.attempts += 1;
      entry.score = result.score;
      data.answers[key] = entry;
      save(data);
    });
    box.append(check, feedback, explanation);
    return box;
  }

  function quizBlock(lesson, bank) {
    const block = el("div", { className: "selfcheck" });
    block.append(el("p", { className: "selfcheck-title" }, [
      el("strong", { textContent: `Quiz: ${bank.title}` }),
      " — self-assessment, graded in this page by the notebook's rules. Your answers stay in " +
      "this browser, apart from the notebooks' progress; the answers are in the page source.",
    ]));
    bank.questions.forEach((q, i) => block.append(questionBox(lesson, q, i + 1)));
    return block;
  }

  function cardsBlock(deck) {
    const block = el("div", { className: "selfcheck-cards" });
    const order = shuffled(deck.cards.length, `${deck.id}/cards`);
    let at = 0;
    const counter = el("p", { className: "selfcheck-counter" });
    const front = el("div", { className: "selfcheck-front" });
    const back = el("div", { className: "selfcheck-back", hidden: true });
    const flip = el("button", { type: "button", textContent: "Show the back" });
    const next = el("button", { type: "button", textContent: "Next card" });
    const show = () => {
      const card = deck.cards[order[at]];
      counter.textContent = `Flashcards: ${deck.title}, card ${at + 1} of ${deck.cards.length} ` +
        "(flip only: the spaced-repetition schedule lives in the notebook)";
      front.replaceChildren(inlineCode(card.front));
      back.replaceChildren(inlineCode(card.back));
      back.hidden = true;
    };
    flip.addEventListener("click", () => { back.hidden = !back.hidden; });
    next.addEventListener("click", () => { at = (at + 1) % deck.cards.length; show(); });
    block.append(counter, front, back, flip, next);
    show();
    return block;
  }

  /** Replace the static quiz and flashcard copies of lesson `name` with working ones. */
  function mount(name) {
    const data = (window.courseSelfCheck || {})[name] || {};
    // In the book, only cell outputs (not the lesson's prose) hold the static copies.
    const scope = document.querySelector(".cell_output") ? ".cell_output " : "";
    for (const quote of document.querySelectorAll(`${scope}blockquote`)) {
      const title = quote.querySelector("b");
      if (data.quiz && title && title.textContent.startsWith("Quiz:")) {
        quote.replaceWith(quizBlock(name, data.quiz));
        break;
      }
    }
    for (const strong of document.querySelectorAll(`${scope}strong`)) {
      if (data.deck && strong.textContent.startsWith("Flashcards:") && strong.parentElement) {
        strong.parentElement.replaceChildren(cardsBlock(data.deck));
        break;
      }
    }
  }

  /** On a lesson page, load _static/selfcheck/<lesson>.js (a script tag, which works from
   * file:// too), then mount. */
  function load() {
    const path = decodeURIComponent(window.location.pathname);
    const found = /\/notebooks\/([^/]+)\.html$/.exec(path);
    if (!found) return;
    const name = found[1];
    const root = document.documentElement.dataset.content_root || "";
    const script = document.createElement("script");
    script.src = `${root}_static/selfcheck/${name}.js`;
    script.onload = () => mount(name);
    document.head.append(script);
  }

  window.CourseSelfCheck = { grade, normalize, parseNumber, shuffled, mount };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", load);
  else load();
})();
