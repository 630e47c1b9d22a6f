"use strict";
// The edit page: a form made from the input format's JSON Schema, the YAML itself, the messages at
// their fields and the pages, all from the server's state.  Every change is sent as a path and a
// value; the server edits the file's text in place and answers with the new state.

const $ = (id) => document.getElementById(id);
let meta = null;          // {schema, templates, file}
let state = null;         // the server's state of the draft
let shape = "";           // the form's structure last built: rebuilt only when it changes
let pageKind = "report";
let shownPages = "";
const pending = new Map(); // field path → timer of a change not yet sent
let queue = Promise.resolve();
let focusNext = null;      // the field to go to once the form is drawn again (a row just added)
const scoreTicks = new Map();  // a section's text box → its 「印出自评得分」 tick

const PARTS_ORDER = ["基本情况", "综合评价分析", "绩效自评情况", "存在的主要问题", "下一步改进措施"];
const HEAD_KEYS = ["部门名称", "年度", "模板", "文书", "部门简称", "自称", "文书名称", "附件标签", "标题"];
const FORM_KEYS = ["年度目标", "填报信息", "主要任务", "重点项目", "部门整体绩效"];
const OTHER_KEYS = ["前言", "落款", "格式", "标题编号"];
const GRID_MAIN = ["一级指标", "二级指标", "三级指标", "年度指标值", "实际完成值", "分值"];
const SECTION_KEYS = ["标题", "内容", "说明"];

// ---------------------------------------------------------------- talking to the server

async function call(route, body) {
  const response = await fetch(route, {
    method: body === undefined ? "GET" : "POST",
    headers: body === undefined ? {} : {"Content-Type": "application/json"},
    body: body === undefined ? undefined : JSON.stringify(body),
    cache: "no-store",
  });
  if (!response.ok) throw new Error("HTTP " + response.status);
  return response.json();
}

function send(route, body) {
  // one request at a time, in the order made: each change applies to the text the last one left
  queue = queue.then(async () => {
    try {
      const answer = await call(route, body);
      if (!answer.error && $("banner").className === "error" && !$("banner").hidden) clearBanner();  // the next step went through
      if (answer.state) show(answer.state);
      if (answer.error) {
        if (answer.state && answer.state.diskChanged && answer.state.dirty) conflict(answer.error);  // the choice stays open
        else banner(answer.error, "error");
      }
      return answer;
    } catch (e) {
      banner("与 reportgen 的连接中断：请确认终端中的 reportgen edit 仍在运行", "error");
      return null;
    }
  });
  return queue;
}

function change(path, value, as) {
  const key = JSON.stringify(path);
  clearTimeout(pending.get(key));
  pending.delete(key);
  return send("change", {changes: [{op: "set", path, value, as}]});
}

function changeSoon(path, value, as) {
  const key = JSON.stringify(path);
  clearTimeout(pending.get(key));
  pending.set(key, setTimeout(() => change(path, value, as), 350));
}

function flushPending() {
  for (const timer of pending.values()) clearTimeout(timer);
  pending.clear();
}

// ---------------------------------------------------------------- the schema

function resolve(node) {
  let s = node || {};
  const extra = {title: s.title, description: s.description};
  for (let i = 0; i < 20; i++) {
    if (s.$ref) { s = meta.schema.$defs[s.$ref.split("/").pop()]; continue; }
    if (s.anyOf) {
      const options = s.anyOf.filter((o) => o.type !== "null");
      if (options.length === 1) { s = options[0]; continue; }
      return {union: options.map(resolve), title: extra.title, description: extra.description};
    }
    break;
  }
  return Object.assign({}, s, {title: s.title || extra.title, description: extra.description || s.description});
}

function kindOf(s) {
  if (s.union) {
    const kinds = s.union.map(kindOf);
    if (kinds.includes("lines") || (kinds.includes("text") && kinds.some((k) => k === "rows" || k === "cards"))) return "lines";
    for (const k of ["object", "rows", "cards", "checks", "number", "select", "bool"]) if (kinds.includes(k)) return k;
    return "text";
  }
  const type = Array.isArray(s.type) ? s.type : [s.type];
  if (type.includes("array")) {
    const item = resolve(s.items);
    if (item.enum) return "checks";
    if (item.type === "string" || item.union) return "lines";
    if (item.type === "object") return Object.values(item.properties || {}).every((p) => simple(kindOf(resolve(p)))) ? "rows" : "cards";
    return "lines";
  }
  if (type.includes("object")) return s.properties ? "object" : "pairs";
  if (type.includes("number") || type.includes("integer")) return "number";
  if (type.includes("boolean")) return "bool";
  if (s.enum) return "select";
  return "text";
}

function listish(s) {
  // a list of lines in the format (预期目标, 标题 written line by line): each line one item
  const type = Array.isArray(s.type) ? s.type : [s.type];
  return type.includes("array") || (s.union || []).some((o) => (Array.isArray(o.type) ? o.type : [o.type]).includes("array") && !o.items.$ref);
}

function simple(kind) { return ["text", "number", "select", "bool"].includes(kind); }

function schemaAt(path) {
  let s = resolve(meta.schema);
  for (const step of path) {
    if (typeof step === "number") { s = resolve(s.items || (s.union || []).map((o) => o.items).find(Boolean) || {}); continue; }
    if (s.union) s = s.union.find((o) => o.properties) || s;
    if (s.properties && s.properties[step]) s = resolve(s.properties[step]);
    else if (s.additionalProperties && typeof s.additionalProperties === "object") s = resolve(s.additionalProperties);
    else return {};
  }
  if (s.union) {
    const objectish = s.union.find((o) => o.properties);
    if (objectish) return Object.assign({}, objectish, {title: s.title, description: s.description});
  }
  return s;
}

// ---------------------------------------------------------------- building the form

function el(tag, attrs, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== undefined && v !== null && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) if (c) node.append(c);
  return node;
}

function get(path) {
  let v = state.data;
  for (const step of path) { if (v === null || v === undefined) return undefined; v = v[step]; }
  return v;
}

function textOf(value) {
  if (value === null || value === undefined) return "";
  if (Array.isArray(value)) return value.every((v) => typeof v === "string") ? value.join("\n") : null;
  if (typeof value === "object") return null;
  return String(value);
}

function field(path, s, opts) {
  opts = opts || {};
  const kind = opts.kind || kindOf(s);
  const id = "f" + Math.random().toString(36).slice(2);
  const label = opts.label || s.title || String(path[path.length - 1]);
  const wrap = el("div", {class: "field", "data-path": JSON.stringify(path)});
  const value = get(path);
  let input;
  if (kind === "select" || (kind === "bool")) {
    const options = kind === "bool" ? [["", "（不填）"], ["true", "是"], ["false", "否"]]
      : [["", "（不填）"], ...(s.enum || []).map((e) => [e, e])];
    input = el("select", {id});
    for (const [v, t] of options) input.append(el("option", {value: v, text: t}));
    input.value = value === true ? "true" : value === false ? "false" : (value ?? "");
    input.addEventListener("change", () => change(path, kind === "bool" ? (input.value === "" ? null : input.value === "true") : input.value, kind === "bool" ? "bool" : "text"));
  } else if (kind === "checks") {
    input = el("span", {id});
    const chosen = Array.isArray(value) ? value : (path.length === 1 && path[0] === "文书" ? state.kinds || [] : []);
    if (!Array.isArray(value) && chosen.length) input.title = "文件中未写，按模板的设置";
    for (const option of resolve(s.items).enum) {
      const box = el("input", {type: "checkbox", value: option});
      box.checked = chosen.includes(option);
      box.addEventListener("change", () => {
        const now = [...input.querySelectorAll("input:checked")].map((b) => b.value);
        change(path, now, "list");
      });
      input.append(el("label", {}, box, document.createTextNode(option + " ")));
    }
  } else if (kind === "lines" || opts.long) {
    const text = opts.text !== undefined ? opts.text : textOf(value);
    if (text === null) return note(path, label, "这里写了表格、列表等，在「源文件」中修改");
    input = el("textarea", {id, class: "lines", rows: Math.min(14, Math.max(3, text.split("\n").length + 1))});
    input.value = text;
    sending(input, path, opts.as || (listish(s) ? "linelist" : "lines"), opts.read);
  } else {
    input = el("input", {id, type: "text", inputmode: kind === "number" ? "decimal" : undefined});
    input.value = textOf(value) ?? "";
    sending(input, path, kind === "number" ? "number" : "text");
  }
  input.dataset.bind = JSON.stringify(path);
  input.dataset.kind = kind;
  wrap.append(el("label", {for: id, text: label}), input);
  if (path.length > 1 && !opts.keep) {
    // 「不适用时删去这一行」: the key taken out of the file, not left as 0 (shown while the file has it)
    wrap.append(el("button", {type: "button", class: "drop", text: "删去", title: "不适用时从文件中删去这一项", tabindex: "-1",
      "data-drop": JSON.stringify(path), hidden: value === undefined,
      onclick: () => send("change", {changes: [{op: "remove", path}]})}));
  }
  const hint = s.description ? el("div", {class: "hint", text: s.description}) : null;
  if (hint) wrap.append(hint);
  wrap.append(el("ul", {class: "msgs"}));
  return wrap;
}

function sending(input, path, as, read) {
  // what is typed goes to the file once the officer pauses, and at once when they leave the field
  read = read || (() => input.value);
  input.dataset.as = as;
  input.addEventListener("input", () => changeSoon(path, read(), as));
  input.addEventListener("blur", () => { if (pending.has(JSON.stringify(path))) change(path, read(), as); });
}

function note(path, label, text) {
  const line = lineOf(path);
  const wrap = el("div", {class: "field", "data-path": JSON.stringify(path)});
  const jump = el("a", {class: "jump", text: `第 ${line} 行`, onclick: () => toLine(line)});
  wrap.append(el("label", {text: label}), el("div", {class: "note"}, document.createTextNode(text + "："), jump));
  wrap.append(el("ul", {class: "msgs"}));
  return wrap;
}

function lineOf(path) {
  const key = JSON.stringify(path);
  let best = 1;
  for (const [p, line] of state.positions || []) {
    if (JSON.stringify(p) === key) return line;
    if (key.startsWith(JSON.stringify(p).slice(0, -1))) best = line;
  }
  return best;
}

function group(title, path, children, open) {
  const box = el("fieldset", {"data-path": path ? JSON.stringify(path) : undefined}, el("legend", {text: title}), el("ul", {class: "msgs"}));
  for (const c of children) if (c) box.append(c);
  if (open === undefined) return box;
  const details = el("details", open ? {open: true} : {}, el("summary", {text: title}));
  box.querySelector("legend").remove();
  details.append(box);
  return details;
}

// The fields most units fill, shown first; the others of a long group wait under 「其他可填的项」
// until the file has them (a report that opens with income, last year's figures for 同比…).
const PRIMARY = {
  部门整体收支情况: ["全年预算数", "执行数", "年初预算数", "资金来源", "支出性质", "年末结转和结余"],
  机构和人员: ["内设机构", "下属单位", "编制数", "实有人数"],
};

function objectFields(path, s, skip) {
  const nodes = [], more = [];
  const primary = PRIMARY[path[path.length - 1]];
  const value = get(path) || {};
  for (const [key, sub] of Object.entries(s.properties || {})) {
    if ((skip || []).includes(key)) continue;
    const node = anyField([...path, key], Object.assign(resolve(sub), {title: key}));
    if (!primary || primary.includes(key) || (value && value[key] !== undefined)) nodes.push(node);
    else more.push([key, node]);
  }
  if (more.length) {
    const names = more.map(([k]) => k).join("、");
    const box = el("details", {class: "more"}, el("summary", {text: `其他可填的项（${more.length}）：${names}`}));
    for (const [, node] of more) box.append(node);
    nodes.push(box);
  }
  return nodes;
}

function anyField(path, s) {
  const kind = kindOf(s);
  const name = s.title || String(path[path.length - 1]);
  if (kind === "object") {
    const inner = s.union ? s.union.find((o) => o.properties) : s;
    return group(name, path, objectFields(path, inner));
  }
  if (kind === "rows") return grid(path, s.union ? s.union.find((o) => o.items) : s, name);
  if (kind === "cards") return cards(path, s.union ? s.union.find((o) => o.items) : s, name);
  if (kind === "pairs") return pairs(path, s, name);
  return field(path, s);
}

function rowActions(listPath, index, count) {
  const td = el("td", {class: "acts"});
  const move = (to) => send("change", {changes: [{op: "move", path: listPath, index, to}]});
  td.append(
    el("button", {type: "button", title: "上移", text: "↑", disabled: index === 0, onclick: () => move(index - 1)}),
    el("button", {type: "button", title: "下移", text: "↓", disabled: index === count - 1, onclick: () => move(index + 1)}),
    el("button", {type: "button", title: "删除这一行", text: "✕", onclick: () => send("change", {changes: [{op: "remove", path: [...listPath, index]}]})}),
  );
  return td;
}

function cellInput(path, s) {
  const kind = kindOf(s);
  const td = el("td", {"data-path": JSON.stringify(path)});
  const value = get(path);
  let input;
  if (kind === "select" || kind === "bool") {
    input = field(path, s, {kind}).querySelector("select");
  } else {
    input = el("input", {type: "text", "aria-label": s.title || String(path[path.length - 1])});
    input.value = textOf(value) ?? "";
    sending(input, path, kind === "number" ? "number" : "text");
  }
  input.dataset.bind = JSON.stringify(path);
  td.append(input);
  return td;
}

function grid(path, s, name) {
  const item = resolve(s.items);
  const rows = Array.isArray(get(path)) ? get(path) : [];
  const indicators = path.length === 1 && path[0] === "绩效指标";
  const wide = document.body.dataset["wide" + path.join("_")] === "1";
  const all = Object.keys(item.properties);
  const columns = indicators ? [...GRID_MAIN, ...(wide ? all.filter((k) => !GRID_MAIN.includes(k)) : [])] : all;
  const table = el("table", {class: "grid" + (wide ? " wide" : "")});
  const head = el("tr", {}, el("th", {text: "#"}));
  const heading = (c) => el("th", {text: indicators && c === "得分" ? "手填得分" : c, title: resolve(item.properties[c]).description || ""});
  for (const c of columns.slice(0, indicators ? GRID_MAIN.length : columns.length)) head.append(heading(c));
  if (indicators) head.append(el("th", {text: "完成率", class: "outhead"}), el("th", {text: "得分", class: "outhead"}));
  if (indicators) for (const c of columns.slice(GRID_MAIN.length)) head.append(heading(c));
  head.append(el("th", {text: ""}));
  table.append(head);
  const scored = indicators && state.derived && state.derived.score ? state.derived.score.items : [];
  rows.forEach((row, i) => {
    const tr = el("tr", {"data-path": JSON.stringify([...path, i])}, el("td", {text: String(i + 1)}));
    const cell = (c) => cellInput([...path, i, c], resolve(item.properties[c]));
    for (const c of columns.slice(0, indicators ? GRID_MAIN.length : columns.length)) tr.append(cell(c));
    if (indicators) {
      const found = scored.find((x) => x.index === i) || {};
      tr.append(el("td", {class: "out", text: found.completion || "—", title: "按年度指标值和实际完成值计算"}));
      tr.append(el("td", {class: "out", text: (found.score || "—") + (found.stated ? "（手填）" : ""), title: found.problem || "计算所得"}));
      for (const c of columns.slice(GRID_MAIN.length)) tr.append(cell(c));
    }
    tr.append(rowActions(path, i, rows.length));
    table.append(tr);
    const msg = el("tr", {class: "msgrow", "data-msgs": JSON.stringify([...path, i])}, el("td", {colspan: columns.length + (indicators ? 4 : 2)}, el("ul", {class: "msgs"})));
    table.append(msg);
  });
  const add = el("button", {type: "button", class: "add", text: indicators ? "＋ 添加指标" : "＋ 添加一行", onclick: () => {
    const last = rows[rows.length - 1] || {};
    const value = indicators ? {一级指标: last.一级指标 || "产出指标", 二级指标: last.二级指标 || "数量指标"} : {};
    focusNext = JSON.stringify([...path, rows.length, indicators ? "三级指标" : Object.keys(item.properties)[0]]);
    send("change", {changes: [{op: "insert", path, index: rows.length, value, as: "row"}]});
  }});
  const more = indicators ? el("label", {class: "note"}, el("input", {type: "checkbox", checked: wide, onchange: (e) => {
    document.body.dataset["wide" + path.join("_")] = e.target.checked ? "1" : "0"; shape = ""; show(state);
  }}), document.createTextNode(" 显示全部列（方向、评价、手填得分、偏差原因、自评表各列）")) : null;
  const box = group(name, path, [more, el("div", {style: "overflow:auto"}, table), add]);
  return box;
}

function cards(path, s, name) {
  const item = resolve(s.items);
  const rows = Array.isArray(get(path)) ? get(path) : [];
  const children = rows.map((row, i) => {
    const title = (row && (row.名称 || row.任务 || row.项目名称)) || `第 ${i + 1} 项`;
    const head = el("div", {class: "card-head"}, el("span", {text: `${i + 1}. ${title}`}));
    const acts = rowActions(path, i, rows.length);
    head.append(...acts.childNodes);
    const card = el("div", {class: "card", "data-path": JSON.stringify([...path, i])}, head, el("ul", {class: "msgs"}));
    for (const node of objectFields([...path, i], item)) card.append(node);
    return card;
  });
  const add = el("button", {type: "button", class: "add", text: "＋ 添加一项", onclick: () =>
    send("change", {changes: [{op: "insert", path, index: rows.length, value: {}, as: "row"}]})});
  return group(name, path, [...children, add]);
}

function pairs(path, s, name) {
  const value = get(path) && typeof get(path) === "object" ? get(path) : {};
  const inner = resolve(s.additionalProperties || {});
  const numeric = kindOf(inner) === "number";
  const table = el("table", {class: "grid"}, el("tr", {}, el("th", {text: "名称"}), el("th", {text: numeric ? "人数或个数" : "写法"}), el("th", {text: ""})));
  for (const key of Object.keys(value)) {
    const tr = el("tr", {"data-path": JSON.stringify([...path, key])}, el("td", {text: key}));
    tr.append(cellInput([...path, key], numeric ? {type: "number"} : {type: "string"}));
    tr.append(el("td", {class: "acts"}, el("button", {type: "button", text: "✕", title: "删除", onclick: () => send("change", {changes: [{op: "remove", path: [...path, key]}]})})));
    table.append(tr);
  }
  const example = (s.description || "").match(/如\s*[「{]?\s*([^，,：:」}）)\s]+)/);
  const key = el("input", {type: "text", placeholder: "新的名称" + (example ? "，如 " + example[1] : ""), "aria-label": "新的名称"});
  const adding = () => {
    const name = key.value.trim();
    if (!name) return;
    key.value = "";
    focusNext = JSON.stringify([...path, name]);
    change([...path, name], numeric ? "0" : "", numeric ? "number" : "text");
  };
  key.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); adding(); } });
  const add = el("button", {type: "button", text: "添加", onclick: adding});
  return group(name + (s.description ? "（" + s.description + "）" : ""), path, [table, el("div", {class: "add"}, key, add)]);
}

function computedBox(figures, title) {
  if (!figures || !figures.length) return null;
  const box = el("div", {class: "computed"}, el("b", {text: title || "计算所得："}));
  for (const [name, value] of figures) box.append(el("span", {text: `${name} ${value}`}));
  return box;
}

function narrative(part) {
  const value = get([part]);
  const sections = (state.outline || {})[part] || [];
  const partSchema = resolve(meta.schema.$defs.Part);
  if (typeof value === "string" || ((value === null || value === undefined) && !sections.length)) {
    return group(part, [part], [field([part], {title: "正文", description: "每行一段"}, {kind: "lines"})]);
  }
  if (Array.isArray(value)) return group(part, [part], [field([part], {title: "正文", description: "每行一段"}, {kind: "lines"})]);
  const keys = Object.keys(value || {});
  for (const s of sections) if (!keys.includes(s)) keys.push(s);
  const nodes = [];
  for (const key of keys) {
    const path = [part, key];
    if (key === "标题" || key === "说明") { nodes.push(field(path, resolve(partSchema.properties[key]))); continue; }
    if (key === "内容") { nodes.push(field(path, {title: "开头的正文", description: "一级标题之后、各小节之前"}, {kind: "lines"})); continue; }
    if (key === "部门整体收支情况" || key === "机构和人员") {
      const s = resolve(partSchema.properties[key]);
      const box = group(key, path, objectFields(path, s, ["标题", "内容", "说明", "句子"]));
      const derived = state.derived && state.derived[key === "部门整体收支情况" ? "funds" : "people"];
      const shown = derived ? computedBox(derived.figures) : null;
      if (shown) box.append(shown);
      nodes.push(box);
      continue;
    }
    const section = (value || {})[key];
    if (section && typeof section === "object" && !Array.isArray(section)) {
      const inner = section.内容;
      if (inner === undefined || textOf(inner) !== null) {
        nodes.push(field([...path, "内容"], {title: key, description: section.标题 ? `标题：${section.标题}` : ""}, {kind: "lines"}));
        continue;
      }
      nodes.push(note(path, key, "这一节含表格等内容"));
      continue;
    }
    nodes.push(scoredSection(path, key) || field(path, {title: key}, {kind: "lines"}));
  }
  // a section of the unit's own (二级标题), beside those of the template's outline
  const name = el("input", {type: "text", placeholder: "新的一节的标题，如 其他需要说明的情况", "aria-label": "新的一节"});
  const adding = () => {
    const title = name.value.trim();
    if (!title || keys.includes(title)) return;
    name.value = "";
    focusNext = JSON.stringify([part, title]);
    change([part, title], "", "newsection");
  };
  name.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); adding(); } });
  nodes.push(el("div", {class: "add"}, name, el("button", {type: "button", text: "＋ 添加一节", onclick: adding})));
  return group(part, [part], nodes);
}

// A section that may end with the score's conclusion (评分: 结论): its text in the box, and a tick
// that prints the sentence the score sheet gives after it.
const SCORE_SECTION = /结论|得分|评分|综述/;

function scoredSection(path, name) {
  const value = get(path);
  const items = Array.isArray(value) ? value : null;
  const blocks = items ? items.filter((v) => typeof v !== "string") : [];
  const scored = blocks.length === 1 && items[items.length - 1] === blocks[0] && blocks[0] && blocks[0].评分 === "结论";
  if (items && blocks.length && !scored) return null;  // tables and the like: 源文件
  if (!scored && !SCORE_SECTION.test(name)) return null;
  const tick = el("input", {type: "checkbox", checked: scored});
  let wrap = null;
  const read = () => ({lines: wrap.querySelector("textarea").value, score: tick.checked});
  const text = items ? items.filter((v) => typeof v === "string").join("\n") : (value || "");
  wrap = field(path, {title: name}, {kind: "lines", as: "blocks", text, read});
  scoreTicks.set(JSON.stringify(path), tick);
  tick.addEventListener("change", () => change(path, read(), "blocks"));
  const label = el("label", {class: "note score-tick"}, tick,
    document.createTextNode(" 在这一节末尾印出自评得分的结论（按评分表计算，如「自评得分 95 分，等级为优」）"));
  wrap.insertBefore(label, wrap.querySelector(".hint") || wrap.querySelector(".msgs"));
  return wrap;
}

function scoreSummary() {
  const score = state.derived && state.derived.score;
  if (!score) return el("p", {class: "note", text: "填写绩效指标（年度指标值、实际完成值、分值）后，这里显示计算的自评得分和等级。"});
  const parts = [["预算执行率", score.budgetRate || "—"], ["执行率得分", score.budgetScore || "—"],
    ["自评得分", (score.total || "无法计算") + (score.total ? " 分" : "")], ["等级", score.grade || "—"], ["满分", score.fullMarks]];
  const label = {手填: "含单位手填、未经计算的部分：", 缺: "有部分缺少数字，未计入（见各指标的得分）：", 计算: "计算所得："}[score.source] || "计算所得：";
  const box = computedBox(parts, label);
  box.id = "score-summary";
  return box;
}

function buildForm() {
  const form = $("form");
  const top = resolve(meta.schema);
  const props = top.properties;
  const keep = form.scrollTop;
  form.replaceChildren();
  const head = HEAD_KEYS.map((k) => k === "模板" ? templateField() : field([k], resolve(props[k])));
  form.append(group("单位与文书", null, head, true));
  const parts = [...PARTS_ORDER.filter((p) => p in (state.outline || {}) || get([p]) !== undefined)];
  for (const p of Object.keys(state.outline || {})) if (!parts.includes(p)) parts.push(p);
  for (const k of Object.keys(state.data || {})) if (!(k in props) && !parts.includes(k)) parts.push(k);
  for (const p of parts) form.append(narrative(p));
  const indicators = grid(["绩效指标"], resolve(props.绩效指标), "绩效指标（计算自评得分）");
  indicators.append(scoreSummary(), field(["自评得分"], resolve(props.自评得分)), field(["自评等级"], resolve(props.自评等级)));
  form.append(indicators);
  const wanted = (state.kinds || []).includes("自评表") || FORM_KEYS.some((k) => get([k]) !== undefined && get([k]) !== null);
  // the template's 自评表 needs some of these; the others it may not print: they wait folded
  const needs = state.formNeeds || [];
  const used = FORM_KEYS.filter((k) => needs.includes(k) || (get([k]) !== undefined && get([k]) !== null));
  const unused = FORM_KEYS.filter((k) => !used.includes(k));
  const formFields = used.map((k) => anyField([k], Object.assign(resolve(props[k]), {title: k})));
  if (unused.length) {
    const more = el("details", {class: "more"}, el("summary", {text: `其他可填的项（${unused.join("、")}；本模板的自评表不一定印出）`}));
    for (const k of unused) more.append(anyField([k], Object.assign(resolve(props[k]), {title: k})));
    formFields.push(more);
  }
  const formPart = group("自评表（文书中勾选「自评表」时需要）", null, formFields, wanted);
  form.append(formPart);
  form.append(group("其他", null, OTHER_KEYS.map((k) => k === "前言" ? field([k], resolve(props[k]), {kind: "lines"}) : anyField([k], resolve(props[k]))), false));
  form.scrollTop = keep;
}

function templateField() {
  const s = resolve(meta.schema.properties.模板);
  const wrap = field(["模板"], s);
  const input = wrap.querySelector("input");
  const list = el("datalist", {id: "template-list"});
  for (const [name, about] of meta.templates) list.append(el("option", {value: name, label: about ? `${name}：${about}` : name}));
  input.setAttribute("list", "template-list");
  wrap.append(list);
  return wrap;
}

// ---------------------------------------------------------------- showing a state

function shapeOf(value, path) {
  // what decides the form's layout: lists and their lengths, the names in a table of names and
  // numbers (编制构成), mappings inside mappings; a value typed into a field that is already there
  // (a key added to the file) is not a new layout
  path = path || [];
  if (Array.isArray(value)) {
    if (value.every((v) => v === null || typeof v !== "object")) return "";  // lines: one text field
    return "[" + value.map((v, i) => shapeOf(v, [...path, i])).join(",") + "]";
  }
  if (value && typeof value === "object") {
    if (path.length && kindOf(schemaAt(path)) === "pairs") return "<" + Object.keys(value).join(",") + ">";
    const inner = Object.entries(value).map(([k, v]) => [k, shapeOf(v, [...path, k])]).filter(([, v]) => v);
    return inner.length ? "{" + inner.map(([k, v]) => k + ":" + v).join(",") + "}" : "";
  }
  return "";
}

function show(next) {
  // a look taken before the last change (a poll answered late) must not put old values back
  if (state && (next.version < state.version || (next.version === state.version && next.pagesVersion < state.pagesVersion))) return;
  state = next;
  if (!meta || !meta.schema || !meta.schema.$defs) return;  // the format not loaded yet: shown once it is
  const readable = state.readable;
  $("saved").textContent = state.dirty ? "未保存的修改" : "已保存";
  $("saved").className = "badge" + (state.dirty ? " dirty" : "");
  $("undo").disabled = !state.canUndo;
  const errors = state.diagnostics.filter((d) => d.level === "error").length;
  const warnings = state.diagnostics.length - errors;
  $("counts").textContent = `${errors} 个错误，${warnings} 个警告`;
  $("counts").className = "badge " + (errors ? "bad" : "good");
  const score = state.derived && state.derived.score;
  $("total").textContent = score && score.total ? `自评得分 ${score.total}（${score.grade}）` : "";
  $("total").hidden = !(score && score.total);
  if (readable) {
    // the sections of each part (the outline's and the unit's own) decide the form's text boxes
    const parts = Object.entries(state.data || {}).filter(([k]) => k in (state.outline || {}) || !(k in meta.schema.properties));
    const sections = parts.map(([k, v]) => (v && typeof v === "object" && !Array.isArray(v) ? k + ":" + Object.keys(v).join("|") : k));
    const nextShape = JSON.stringify([shapeOf(state.data), sections, state.outline, state.kinds, (score && score.items.length) || 0]);
    if (nextShape !== shape) {
      const focused = document.activeElement && document.activeElement.dataset ? document.activeElement.dataset.bind : null;
      const caret = focused ? [document.activeElement.selectionStart, document.activeElement.selectionEnd] : null;
      shape = nextShape;
      buildForm();
      const again = focused ? document.querySelector(`#form [data-bind='${cssq(focused)}']`) : null;
      if (again) { again.focus({preventScroll: true}); try { again.setSelectionRange(...caret); } catch (e) { /* a select */ } }
      const wanted = focusNext ? document.querySelector(`#form [data-bind='${cssq(focusNext)}']`) : null;
      if (wanted) { wanted.scrollIntoView({block: "center"}); wanted.focus({preventScroll: true}); focusNext = null; }
    }
    else refreshValues();
    refreshComputed();
    $("form").classList.remove("blocked");
  } else {
    $("form").replaceChildren(el("p", {class: "note"}, document.createTextNode("源文件现在无法读取，表单暂停：请在「源文件」中改正（见「问题」）。")));
    shape = "";
  }
  placeMessages();
  if (document.activeElement !== $("text") && $("text").value !== state.text) { $("text").value = state.text; }
  gutter();
  showPages();
  if (state.diskChanged) {
    if (!state.dirty) send("reload", {}).then((a) => { if (a && !a.error) banner("文件已被别的程序修改，页面已载入新的内容", "done"); });
    else if (!$("banner").textContent.includes("磁盘") && !$("banner").textContent.includes("合并")) conflict("磁盘上的文件已被别的程序修改，本页也有未保存的修改。");
  }
}

function refreshValues() {
  for (const drop of document.querySelectorAll("#form [data-drop]")) drop.hidden = get(JSON.parse(drop.dataset.drop)) === undefined;
  for (const input of document.querySelectorAll("[data-bind]")) {
    if (input === document.activeElement || pending.has(input.dataset.bind)) continue;
    const value = get(JSON.parse(input.dataset.bind));
    if (input.tagName === "SELECT") input.value = value === true ? "true" : value === false ? "false" : (value ?? "");
    else if (input.dataset.kind === "checks") {
      for (const box of input.querySelectorAll("input")) box.checked = Array.isArray(value) && value.includes(box.value);
    } else if (input.dataset.as === "blocks") {
      const items = Array.isArray(value) ? value : null;
      const text = items ? items.filter((v) => typeof v === "string").join("\n") : (value || "");
      if (input.value !== text) input.value = text;
      const tick = scoreTicks.get(input.dataset.bind);
      if (tick) tick.checked = !!(items && items.some((v) => v && v.评分 === "结论"));
    } else {
      const text = textOf(value);
      if (text !== null && input.value !== text) input.value = text;
    }
  }
}

function refreshComputed() {
  const score = state.derived && state.derived.score;
  const table = document.querySelector('fieldset[data-path=\'["绩效指标"]\'] table');
  if (table && score) {
    for (const item of score.items) {
      const row = table.querySelector(`tr[data-path='${JSON.stringify(["绩效指标", item.index])}']`);
      if (!row) continue;
      const outs = row.querySelectorAll("td.out");
      outs[0].textContent = item.completion || "—";
      outs[1].textContent = (item.score || "—") + (item.stated ? "（手填）" : "");
      outs[1].title = item.problem || "计算所得";
    }
  }
  const summary = $("score-summary");
  if (summary) summary.replaceWith(scoreSummary());
  for (const [key, name] of [["funds", "部门整体收支情况"], ["people", "机构和人员"]]) {
    const derived = state.derived && state.derived[key];
    if (!derived) continue;
    const box = document.querySelector(`fieldset[data-path='${JSON.stringify(derived.path)}']`);
    if (!box) continue;
    const old = box.querySelector(":scope > .computed");
    const fresh = computedBox(derived.figures);
    if (old && fresh) old.replaceWith(fresh); else if (old) old.remove(); else if (fresh) box.append(fresh);
  }
}

function holderOf(path) {
  for (let n = path.length; n >= 0; n--) {
    const key = JSON.stringify(path.slice(0, n));
    const found = document.querySelector(`#form [data-msgs='${cssq(key)}']`) || document.querySelector(`#form [data-path='${cssq(key)}']:not(td)`);
    if (found) return found;
  }
  return null;
}

function cssq(text) { return text.replace(/\\/g, "\\\\").replace(/'/g, "\\'"); }

function placeMessages() {
  for (const list of document.querySelectorAll("#form .msgs")) list.replaceChildren();
  for (const node of document.querySelectorAll("#form .has-error, #form .has-warning")) node.classList.remove("has-error", "has-warning");
  const items = [];
  for (const d of state.diagnostics) {
    const holder = holderOf(d.path || []);
    if (holder && d.path && d.path.length) {
      const list = holder.querySelector(":scope > .msgs, :scope > td > .msgs, :scope > ul.msgs") || holder.querySelector(".msgs");
      if (list) list.append(el("li", {class: d.level, text: d.message}));
      const cell = document.querySelector(`#form td[data-path='${cssq(JSON.stringify(d.path))}']`);
      (cell || holder).classList.add(d.level === "error" ? "has-error" : "has-warning");
    }
    const where = d.path && d.path.length ? "［" + d.path.join(" › ") + "］" : "";
    items.push(el("li", {class: d.level, onclick: () => jumpTo(d.path || [], d.line)}, document.createTextNode(`第 ${d.line} 行 ${d.level === "error" ? "错误" : "警告"}：${where}${d.message}`)));
  }
  if (!items.length) items.push(el("li", {class: "note", text: "没有问题。"}));
  $("problem-list").replaceChildren(...items);
  const tab = document.querySelector('#left-tabs [data-tab="problems"]');
  tab.textContent = `问题（${state.diagnostics.length}）`;
}

// ---------------------------------------------------------------- going to a field or a line

function tab(name) {
  for (const b of document.querySelectorAll("#left-tabs button")) b.classList.toggle("on", b.dataset.tab === name);
  for (const pane of ["form", "source", "problems"]) $(pane).hidden = pane !== name;
  if (name === "source") { if ($("text").value !== state.text) $("text").value = state.text; gutter(); }
}

function jumpTo(path, line) {
  const holder = path.length ? holderOf(path) : null;
  if (holder && state.readable) {
    tab("form");
    for (let p = holder.parentElement; p; p = p.parentElement) if (p.tagName === "DETAILS") p.open = true;
    const exact = document.querySelector(`#form [data-bind='${cssq(JSON.stringify(path))}']`);
    const target = exact || holder.querySelector("[data-bind]") || holder;
    target.scrollIntoView({block: "center"});
    if (target.focus) target.focus({preventScroll: true});
    target.classList.remove("flash"); void target.offsetWidth; target.classList.add("flash");
    return;
  }
  toLine(line || 1);
}

function toLine(line) {
  tab("source");
  const text = $("text");
  const lines = text.value.split("\n");
  let at = 0;
  for (let i = 0; i < Math.min(line - 1, lines.length); i++) at += lines[i].length + 1;
  text.focus();
  text.setSelectionRange(at, at + (lines[line - 1] || "").length);
  text.scrollTop = Math.max(0, (line - 5) * 20);
  $("gutter").scrollTop = text.scrollTop;
}

function gutter() {
  const count = $("text").value.split("\n").length;
  const marks = new Map();
  for (const d of state.diagnostics) if (!marks.has(d.line) || d.level === "error") marks.set(d.line, d.level);
  const lines = [];
  for (let i = 1; i <= count; i++) {
    const span = el("span", {class: marks.get(i) || "", text: String(i), title: state.diagnostics.filter((d) => d.line === i).map((d) => d.message).join("\n")});
    lines.push(span, document.createTextNode("\n"));
  }
  $("gutter").replaceChildren(...lines);
}

// ---------------------------------------------------------------- the pages

function showPages() {
  const kinds = Object.keys(state.pages || {});
  if (kinds.length && !kinds.includes(pageKind)) pageKind = kinds[0];
  const names = {report: "报告", form: "自评表"};
  $("page-tabs").replaceChildren(...kinds.map((k) => el("button", {type: "button", class: k === pageKind ? "on" : "", text: names[k], onclick: () => { pageKind = k; shownPages = ""; showPages(); }})));
  const behind = state.pagesOf < state.version;
  let status = behind ? "正在更新页面…" : `页面已更新（${state.pagesSeconds} 秒）`;
  if (state.pagesProblem) status = state.pagesProblem.replace(/^.*?:\d+:\d+: /, "");
  $("page-status").textContent = status;
  const key = `${pageKind}/${state.pagesVersion}/${(state.pages || {})[pageKind] || 0}`;
  if (key === shownPages) return;
  shownPages = key;
  const count = (state.pages || {})[pageKind] || 0;
  const images = [];
  for (let n = 1; n <= count; n++) {
    const img = el("img", {alt: `第 ${n} 页`, loading: n > 2 ? "lazy" : undefined, src: `page/${pageKind}/${n}.png?v=${state.pagesVersion}`});
    img.addEventListener("click", (e) => locate(pageKind, n, e));
    images.push(img);
  }
  $("pages").replaceChildren(...images);
}

async function locate(kind, page, event) {
  const box = event.target.getBoundingClientRect();
  const x = (event.clientX - box.left) / box.width, y = (event.clientY - box.top) / box.height;
  const found = await call("locate", {kind, page, x, y});
  if (found.path) jumpTo(found.path, found.line);
  else $("page-status").textContent = found.message || "这里没有对应的输入";
}

// ---------------------------------------------------------------- banner, buttons, start

let bannerTimer = null;
function banner(text, kind, actions) {
  const b = $("banner");
  clearTimeout(bannerTimer);
  b.hidden = false;
  b.className = kind || "";
  if (kind === "done") bannerTimer = setTimeout(clearBanner, 8000);
  b.replaceChildren(document.createTextNode(text));
  for (const [label, act] of actions || []) b.append(el("button", {type: "button", text: label, onclick: act}));
  b.append(el("button", {type: "button", text: "关闭", onclick: clearBanner}));
}

function clearBanner() { $("banner").hidden = true; $("banner").className = ""; }

function conflict(text) {
  const settled = (answer) => { if (answer && !answer.error && answer.message) banner(answer.message, "done"); };
  banner(text, "warn", [
    ["合并两边的修改", () => send("merge", {}).then(settled)],
    ["载入磁盘上的版本（放弃本页的修改）", () => send("reload", {}).then(settled)],
    ["保留本页的修改（保存时替换磁盘上的版本）", () => send("keep", {}).then(settled)],
  ]);
}

async function save(force) {
  flushPendingNow();
  const answer = await send("save", {force: !!force});
  if (!answer) return;
  if (answer.error && answer.error.includes("别处")) conflict("文件在别处被修改过，未保存。");
  else if (answer.message) banner(answer.message, "done");
}

function flushPendingNow() {
  for (const input of document.querySelectorAll("[data-bind]")) {
    if (!pending.has(input.dataset.bind)) continue;
    const as = input.dataset.as || (input.dataset.kind === "number" ? "number" : "text");
    const tick = scoreTicks.get(input.dataset.bind);
    change(JSON.parse(input.dataset.bind), as === "blocks" ? {lines: input.value, score: !!(tick && tick.checked)} : input.value, as);
  }
  flushPending();
}

async function build() {
  flushPendingNow();
  banner("正在保存并生成 Word 和 PDF…", "warn");
  const answer = await send("build", {});
  if (!answer) return;
  if (answer.ok) banner((answer.saved ? answer.saved + "；" : "") + answer.message + (answer.failures && answer.failures.length ? "；" + answer.failures.join("；") : ""), "done");
  else banner(answer.message || answer.error, "error");
}

let sourceTimer = null;
$("text").addEventListener("input", () => {
  gutter();
  clearTimeout(sourceTimer);
  sourceTimer = setTimeout(() => send("text", {text: $("text").value}), 500);
});
$("text").addEventListener("scroll", () => { $("gutter").scrollTop = $("text").scrollTop; });
for (const b of document.querySelectorAll("#left-tabs button")) b.addEventListener("click", () => tab(b.dataset.tab));
$("save").addEventListener("click", () => save(false));
$("build").addEventListener("click", build);
$("undo").addEventListener("click", () => send("undo", {}));
document.addEventListener("keydown", (e) => { if ((e.ctrlKey || e.metaKey) && e.key === "s") { e.preventDefault(); save(false); } });
window.addEventListener("beforeunload", (e) => { if (state && (state.dirty || pending.size)) { e.preventDefault(); e.returnValue = ""; } });

async function poll() {
  try {
    if (!pending.size) {
      const next = await call("state");
      if (!state || next.version !== state.version || next.pagesVersion !== state.pagesVersion || next.diskChanged !== state.diskChanged || next.dirty !== state.dirty) show(next);
    }
  } catch (e) { /* the server is gone: the next action says so */ }
  const waiting = state && (state.pagesOf < state.version);  // pages being laid out: look again soon
  setTimeout(poll, waiting ? 150 : 700);
}

(async () => {
  for (let tries = 0; !meta; tries++) {
    try { meta = await call("meta"); } catch (e) { if (tries > 50) throw e; await new Promise((r) => setTimeout(r, 200)); }
  }
  show(await call("state"));
  poll();
})();
