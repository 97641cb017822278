/* The one script of a report page (analysis.presentation.page_script puts it in every page).

   A progressive enhancement: the plain HTML tables stay the content, so a reader without
   JavaScript (or a printout) sees every row; this script only reorders and hides rows and adds
   controls. It makes tables marked `interactive` sortable (click a column heading), searchable
   and paged, says when a table is wider than the page, and opens a folded evidence block that
   a link leads to. It reads cell text as text and never turns a string into markup,
   loads nothing and talks to no other host; the page's Content-Security-Policy lets only this
   exact script run. */
(function () {
  "use strict";

  var PAGE_SIZES = [10, 25, 50, 100, 0]; // 0: every row
  var DEFAULT_PAGE_SIZE = 10;
  var SEARCH_FROM = 6; // rows: a shorter table is read at a glance

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  // A cell's value for sorting: a number when the text is one ("1,234", "-0.5", "12%", "inf").
  function numeric(text) {
    var plain = text.replace(/[\s,\u00a0]/g, "").replace(/%$/, "");
    if (plain === "") { return null; }
    if (/^[-+]?inf(inity)?$/i.test(plain)) { return plain.charAt(0) === "-" ? -Infinity : Infinity; }
    if (!/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(plain)) { return NaN; }
    return Number(plain);
  }

  function cellText(row, column) {
    var cell = row.cells[column];
    return cell ? cell.textContent.trim() : "";
  }

  function columnIsNumeric(rows, column) {
    var seen = false;
    for (var i = 0; i < rows.length; i += 1) {
      var value = numeric(cellText(rows[i], column));
      if (value === null) { continue; }
      if (isNaN(value)) { return false; }
      seen = true;
    }
    return seen;
  }

  function compareBy(rows, column, direction) {
    var isNumber = columnIsNumeric(rows, column);
    var position = new Map(rows.map(function (row, index) { return [row, index]; }));
    return function (a, b) {
      var x = cellText(a, column), y = cellText(b, column);
      if (x === "" || y === "") { // empty cells last, whichever the direction
        if (x !== y) { return x === "" ? 1 : -1; }
        return position.get(a) - position.get(b);
      }
      var order = isNumber ? numeric(x) - numeric(y)
        : x.localeCompare(y, undefined, {numeric: true, sensitivity: "base"});
      return order !== 0 ? direction * order : position.get(a) - position.get(b);
    };
  }

  function Table(table) {
    this.table = table;
    this.body = table.tBodies[0];
    this.rows = Array.prototype.slice.call(this.body.rows);
    this.order = this.rows.slice();
    this.query = [];
    this.page = 0;
    // data-rows: how many rows the report shows first (its top_n); the rest are a page away
    var first = Number(table.getAttribute("data-rows"));
    this.firstSize = first > 0 && first < this.rows.length ? first : DEFAULT_PAGE_SIZE;
    this.pageSize = this.rows.length > this.firstSize ? this.firstSize : 0;
    this.frame = table.parentElement.classList.contains("table-scroll") ? table.parentElement : table;
    this.build();
    this.render();
  }

  Table.prototype.build = function () {
    var self = this;
    var tools = element("div", "table-tools");
    if (this.rows.length >= SEARCH_FROM) {
      var search = element("input", "table-search");
      search.type = "search";
      search.placeholder = "Search this table";
      search.setAttribute("aria-label", "Search this table (rows containing every word)");
      search.addEventListener("input", function () {
        self.query = search.value.toLowerCase().split(/\s+/).filter(Boolean);
        self.page = 0;
        self.render();
      });
      tools.appendChild(search);
    }
    if (this.rows.length > this.firstSize) {
      var label = element("label", "table-size", "Rows per page ");
      var size = element("select");
      var sizes = PAGE_SIZES.indexOf(this.firstSize) === -1
        ? PAGE_SIZES.concat([this.firstSize]).sort(function (x, y) { return (x || Infinity) - (y || Infinity); })
        : PAGE_SIZES;
      sizes.forEach(function (count) {
        var option = element("option", "", count === 0 ? "all" : String(count));
        option.value = String(count);
        option.selected = count === self.pageSize;
        size.appendChild(option);
      });
      size.addEventListener("change", function () {
        self.pageSize = Number(size.value);
        self.page = 0;
        self.render();
      });
      label.appendChild(size);
      tools.appendChild(label);
    }
    this.status = element("span", "table-status");
    this.status.setAttribute("aria-live", "polite");
    this.status.hidden = this.rows.length < SEARCH_FROM;
    tools.appendChild(this.status);
    this.hint = element("span", "table-wide-hint", "Wider than the page: scroll sideways for every column \u2192");
    this.hint.hidden = true;
    tools.appendChild(this.hint);
    this.frame.parentNode.insertBefore(tools, this.frame);

    this.pager = element("div", "table-pager");
    this.previous = element("button", "", "\u2190 Previous");
    this.next = element("button", "", "Next \u2192");
    this.position = element("span", "table-page");
    [this.previous, this.next].forEach(function (button) { button.type = "button"; });
    this.previous.addEventListener("click", function () { self.page -= 1; self.render(); });
    this.next.addEventListener("click", function () { self.page += 1; self.render(); });
    this.pager.appendChild(this.previous);
    this.pager.appendChild(this.position);
    this.pager.appendChild(this.next);
    this.frame.parentNode.insertBefore(this.pager, this.frame.nextSibling);

    var head = this.table.tHead && this.table.tHead.rows[this.table.tHead.rows.length - 1];
    if (head && head.cells.length === (this.rows[0] ? this.rows[0].cells.length : head.cells.length)) {
      Array.prototype.forEach.call(head.cells, function (cell, column) { self.sortable(cell, column); });
    }
    this.checkWidth();
    window.addEventListener("resize", function () { self.checkWidth(); });
  };

  // A column heading becomes a button: ascending, then descending, then the page's own order.
  // A heading that is a link (an actor's profile) stays a link, with a small sort button beside it.
  Table.prototype.sortable = function (cell, column) {
    var self = this;
    var button = element("button", "table-sort");
    button.type = "button";
    button.setAttribute("aria-label", "Sort by " + (cell.textContent.trim() || "this column"));
    if (cell.querySelector("a")) {
      button.classList.add("table-sort-only");
    } else {
      while (cell.firstChild) { button.appendChild(cell.firstChild); }
    }
    cell.appendChild(button);
    cell.setAttribute("aria-sort", "none");
    button.addEventListener("click", function () {
      var state = cell.getAttribute("aria-sort");
      var next = state === "ascending" ? "descending" : state === "descending" ? "none" : "ascending";
      Array.prototype.forEach.call(cell.parentNode.cells, function (other) {
        if (other.hasAttribute("aria-sort")) { other.setAttribute("aria-sort", "none"); }
      });
      cell.setAttribute("aria-sort", next);
      self.order = next === "none" ? self.rows.slice()
        : self.rows.slice().sort(compareBy(self.rows, column, next === "ascending" ? 1 : -1));
      self.order.forEach(function (row) { self.body.appendChild(row); });
      self.page = 0;
      self.render();
    });
  };

  Table.prototype.matches = function (row) {
    if (!this.query.length) { return true; }
    var text = row.textContent.toLowerCase();
    return this.query.every(function (word) { return text.indexOf(word) !== -1; });
  };

  Table.prototype.render = function () {
    var self = this;
    var shown = this.order.filter(function (row) { return self.matches(row); });
    var size = this.pageSize || shown.length || 1;
    var pages = Math.max(1, Math.ceil(shown.length / size));
    this.page = Math.min(Math.max(this.page, 0), pages - 1);
    var first = this.page * size;
    var visible = new Set(shown.slice(first, first + size));
    this.rows.forEach(function (row) { row.hidden = !visible.has(row); });
    var filtered = this.query.length ? " matching the search (" + this.rows.length + " in all)" : "";
    this.status.textContent = shown.length === 0 ? "No row matches the search (" + this.rows.length + " in all)."
      : "Rows " + (first + 1) + "\u2013" + (first + visible.size) + " of " + shown.length + filtered + ".";
    this.position.textContent = "Page " + (this.page + 1) + " of " + pages;
    this.previous.disabled = this.page === 0;
    this.next.disabled = this.page >= pages - 1;
    this.pager.hidden = pages < 2;
  };

  Table.prototype.checkWidth = function () {
    this.hint.hidden = this.frame.scrollWidth <= this.frame.clientWidth + 1;
    this.frame.classList.toggle("is-wide", !this.hint.hidden);
  };

  // A fragment as its decoded text; a '%' that starts no valid escape (a hand-typed or cut URL)
  // leaves it as it is rather than stopping the script.
  function decoded(fragment) {
    try { return decodeURIComponent(fragment); } catch (error) { return fragment; }
  }

  // The element a fragment names. Evidence ids are written percent-encoded (a pair with a
  // non-ASCII key), and a browser may give the fragment in either form: try both.
  function target(fragment) {
    return fragment ? document.getElementById(fragment) || document.getElementById(decoded(fragment)) : null;
  }

  // A link to a folded evidence block (a closed <details>) opens it, and any block around it.
  function open(fragment) {
    for (var node = target(fragment); node; node = node.parentElement) {
      if (node.tagName === "DETAILS") { node.open = true; }
    }
  }

  // A link to a sentence of a text page (an evidence link) brings it to the middle of the
  // window, where the reader looks, rather than to the top edge; the stylesheet marks it.
  function openTarget() {
    var fragment = window.location.hash.slice(1);
    open(fragment);
    var found = target(fragment);
    if (found && found.classList.contains("sentence")) { found.scrollIntoView({block: "center"}); }
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("table.interactive"), function (table) {
      if (table.tBodies.length === 1 && table.tBodies[0].rows.length > 1) { new Table(table); } // one row: nothing to sort
    });
    openTarget();
    window.addEventListener("hashchange", openTarget);
    // the browser scrolls to the fragment itself once the page has loaded: centre the sentence after that
    window.addEventListener("load", function () { window.setTimeout(openTarget, 0); });
    document.addEventListener("click", function (event) { // the same link again, after its block was closed
      var link = event.target.closest && event.target.closest("a[href^='#']");
      if (link) { open(link.getAttribute("href").slice(1)); }
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());

/* The network a reader can change (analysis/reports/network.py, presentation.network_view).

   The page holds every actor of the pair table and every ranked pair as JSON in the
   `data-network` attribute of the network's block, with the starting nodes already drawn
   (SVG), described (legend) and listed (table) without any script. This part adds a search
   to add any actor, a button to remove each, and one to go back to the most mentioned, and
   redraws picture, legend and table from the data on each change, with the same circle layout
   as the Python drawing (constants in step with network.py). Names reach the page only as
   text (textContent, setAttribute); nothing is parsed as markup. */
(function () {
  "use strict";

  var SVG = "http://www.w3.org/2000/svg";
  var MATCHES = 12; // matches listed under the search; more ask for more letters
  var LABEL_SLOT = 16, MIN_RADIUS = 150, NODE_MIN = 4, NODE_MAX = 14, LABEL_CHARS = 28, CHAR_WIDTH = 6.6;
  var LABEL_GAP = 22, MARGIN = 10;
  var CATEGORY_ORDER = ["person", "organization", "country", "place", "facility", ""];

  function element(tag, className, text) {
    var made = document.createElement(tag);
    if (className) { made.className = className; }
    if (text !== undefined) { made.textContent = text; }
    return made;
  }

  function vector(tag, attributes) {
    var made = document.createElementNS(SVG, tag);
    Object.keys(attributes || {}).forEach(function (name) { made.setAttribute(name, String(attributes[name])); });
    return made;
  }

  function titled(node, text) {
    var title = vector("title");
    title.textContent = text;
    node.appendChild(title);
    return node;
  }

  // Rows of a column table ({columns, rows}) as objects, each with its number.
  function records(columns, rows) {
    return rows.map(function (row, number) {
      var made = {number: number};
      columns.forEach(function (name, position) { made[name] = row[position]; });
      return made;
    });
  }

  // Text as a search compares it: no accents, no case, hyphens as spaces ("sadyr-japarov").
  function folded(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[-_\s]+/g, " ").trim();
  }

  // A number as network.py's `shown` writes it: whole numbers with thousands separators,
  // others with at most 3 decimals; empty when missing.
  function shown(value) {
    if (value === null || value === undefined || isNaN(value)) { return ""; }
    if (Math.round(value) === value) { return value.toLocaleString("en-US"); }
    return value.toFixed(3).replace(/0+$/, "").replace(/\.$/, "");
  }

  function interval(edge) {
    return edge.low === null || edge.high === null ? "" : shown(edge.low) + " to " + shown(edge.high);
  }

  function group(category) {
    var found = CATEGORY_ORDER.indexOf(category || "");
    return found === -1 ? CATEGORY_ORDER.length : found;
  }

  function Network(view, data) {
    this.view = view;
    this.data = data;
    this.nodes = records(data.node_columns, data.nodes);
    this.edges = records(data.edge_columns, data.edges);
    this.folded = this.nodes.map(function (node) {
      return folded(node.name) + " " + folded(node.key) + " " + folded(node.also || "");
    });
    this.chosen = data.start.slice();
    this.legend = view.querySelector(".network-legend");
    this.drawing = view.querySelector(".network-drawing");
    this.status = view.querySelector(".network-status");
    this.pairs = view.querySelector(".network-pairs");
    this.build();
    this.render();
  }

  Network.prototype.build = function () {
    var self = this;
    var tools = element("div", "network-tools");
    var label = element("label", "network-search-label", "Add an actor ");
    this.search = element("input", "network-search");
    this.search.type = "search";
    this.search.placeholder = "Name or key, e.g. " + (this.nodes.length ? this.nodes[0].name : "");
    this.search.setAttribute("aria-label", "Find an actor to add to the network (name or key)");
    this.search.setAttribute("autocomplete", "off");
    label.appendChild(this.search);
    tools.appendChild(label);
    this.reset = element("button", "network-reset", "Reset to the " + this.data.top_count + " most mentioned");
    this.reset.type = "button";
    tools.appendChild(this.reset);
    this.matches = element("ul", "network-matches");
    this.matches.setAttribute("aria-label", "Actors matching the search");
    this.found = element("p", "network-found meta");
    this.found.setAttribute("aria-live", "polite");
    this.list = element("ul", "network-chosen");
    this.list.setAttribute("aria-label", "Actors in the network");
    var chosenLabel = element("p", "network-chosen-label meta", "In the network (click \u00d7 to remove):");
    this.detail = element("p", "network-detail");
    this.detail.setAttribute("aria-live", "polite");
    this.detail.hidden = true;

    this.search.addEventListener("input", function () { self.showMatches(); });
    this.search.addEventListener("keydown", function (event) {
      if (event.key === "Enter") {
        event.preventDefault();
        var first = self.matching()[0];
        if (first) { self.add(first.number); }
      }
    });
    this.reset.addEventListener("click", function () {
      self.chosen = self.data.top.slice();
      self.render();
    });

    var caption = this.view.querySelector(".network-caption");
    var after = caption ? caption.nextSibling : this.view.firstChild;
    [tools, this.found, this.matches, chosenLabel, this.list].forEach(function (part) {
      self.view.insertBefore(part, after);
    });
    this.drawing.parentNode.insertBefore(this.detail, this.drawing.nextSibling);
  };

  // The actors a search names, not yet chosen: those with a word of the name or key starting
  // with it first, then those containing it; more mentioned first within each.
  Network.prototype.matching = function () {
    var query = folded(this.search.value);
    if (!query) { return []; }
    var chosen = new Set(this.chosen);
    var self = this;
    var found = [];
    this.nodes.forEach(function (node) {
      if (chosen.has(node.number)) { return; }
      var text = self.folded[node.number];
      var rank = (" " + text).indexOf(" " + query) !== -1 ? 0 : text.indexOf(query) !== -1 ? 1 : -1;
      if (rank !== -1) { found.push({rank: rank, node: node}); }
    });
    found.sort(function (x, y) {
      return x.rank - y.rank || y.node.mentions - x.node.mentions || x.node.number - y.node.number;
    });
    return found.map(function (item) { return item.node; });
  };

  Network.prototype.showMatches = function () {
    var self = this;
    var found = this.matching();
    while (this.matches.firstChild) { this.matches.removeChild(this.matches.firstChild); }
    found.slice(0, MATCHES).forEach(function (node) {
      var item = element("li");
      var button = element("button", "network-add", "Add " + node.name);
      button.type = "button";
      button.setAttribute("data-key", node.key);
      item.appendChild(button);
      item.appendChild(element("span", "meta", " " + node.key + " \u00b7 " + (node.category || "other") + " \u00b7 "
        + shown(node.mentions) + " mention(s)" + (node.also ? " \u00b7 also read as " + node.also : "")));
      button.addEventListener("click", function () { self.add(node.number); });
      self.matches.appendChild(item);
    });
    var query = this.search.value.trim();
    this.found.textContent = !query ? ""
      : found.length === 0 ? "No actor with a pair matches \u201c" + query + "\u201d (or it is already in the network)."
      : found.length > MATCHES ? found.length + " actors match; the " + MATCHES + " most likely are listed: type more of the name."
      : found.length + " actor(s) match.";
  };

  Network.prototype.add = function (number) {
    if (this.chosen.indexOf(number) === -1) { this.chosen.push(number); }
    this.search.value = "";
    this.showMatches();
    this.render();
    this.search.focus();
  };

  Network.prototype.remove = function (number) {
    this.chosen = this.chosen.filter(function (other) { return other !== number; });
    this.render();
  };

  // network.py's circle_layout: nodes by category, most mentioned first, on a circle large
  // enough to give each label its own slot; labels are written outward along the radius.
  Network.prototype.layout = function () {
    var self = this;
    var nodes = this.chosen.map(function (number) { return self.nodes[number]; });
    nodes.sort(function (x, y) {
      return group(x.category) - group(y.category) || y.mentions - x.mentions
        || (x.key < y.key ? -1 : x.key > y.key ? 1 : 0);
    });
    var count = nodes.length;
    var radius = Math.max(MIN_RADIUS, count * LABEL_SLOT / (2 * Math.PI));
    var largest = Math.max.apply(null, [1].concat(nodes.map(function (node) { return node.mentions; })));
    var labelAt = radius + LABEL_GAP;
    var xs = [-radius - NODE_MAX, radius + NODE_MAX], ys = [-radius - NODE_MAX, radius + NODE_MAX];
    var placed = nodes.map(function (node, position) {
      var angle = -Math.PI / 2 + 2 * Math.PI * position / Math.max(count, 1);
      var label = node.name.length <= LABEL_CHARS ? node.name : node.name.slice(0, LABEL_CHARS - 1) + "\u2026";
      xs.push((labelAt + CHAR_WIDTH * label.length) * Math.cos(angle));
      ys.push((labelAt + CHAR_WIDTH * label.length) * Math.sin(angle));
      return {node: node, angle: angle, x: radius * Math.cos(angle), y: radius * Math.sin(angle),
              size: NODE_MIN + (NODE_MAX - NODE_MIN) * Math.sqrt(node.mentions / largest), label: label};
    });
    var left = Math.floor(Math.min.apply(null, xs)) - MARGIN, top = Math.floor(Math.min.apply(null, ys)) - MARGIN;
    var box = [left, top, Math.ceil(Math.max.apply(null, xs)) + MARGIN - left,
               Math.ceil(Math.max.apply(null, ys)) + MARGIN - top];
    return {placed: placed, radius: radius, labelAt: labelAt, box: box};
  };

  Network.prototype.drawnEdges = function (where) {
    var drawn = this.edges.filter(function (edge) { return where.has(edge.a) && where.has(edge.b); });
    var strongest = 0;
    drawn.forEach(function (edge) { if (edge.strength > strongest) { strongest = edge.strength; } });
    drawn.forEach(function (edge) {
      edge.faint = !(edge.strength > 0);
      edge.width = edge.faint ? 1 : 1.5 + 5.5 * edge.strength / strongest;
    });
    return drawn;
  };

  Network.prototype.edgeTitle = function (edge) {
    var range = interval(edge);
    return this.nodes[edge.a].name + " \u2013 " + this.nodes[edge.b].name + ": " + this.data.measure + " "
      + shown(edge.value) + (range ? " (" + this.data.interval + " interval " + range + ")" : "") + ", "
      + shown(edge.count) + " unit(s), " + shown(edge.documents) + " document(s)";
  };

  function paint(line, faint) { // presentation._edge_paint
    line.setAttribute("fill", "none");
    line.setAttribute("stroke", faint ? "#999" : "#555");
    line.setAttribute("stroke-opacity", faint ? "0.45" : "0.65");
    if (faint) { line.setAttribute("stroke-dasharray", "4 3"); }
    return line;
  }

  Network.prototype.picture = function (layout, drawn) {
    var self = this;
    var box = layout.box, labelAt = layout.labelAt;
    var at = new Map(layout.placed.map(function (place) { return [place.node.number, place]; }));
    var title = "Network of " + layout.placed.length + " actor(s) and " + drawn.length + " pair(s)";
    var picture = vector("svg", {"class": "network-svg", viewBox: box.join(" "), width: box[2], height: box[3],
                                 "font-size": 12, role: "group", "aria-label": title});
    var lines = vector("g", {"class": "network-edges"});
    drawn.forEach(function (edge) {
      var a = at.get(edge.a), b = at.get(edge.b);
      var path = "M" + a.x.toFixed(1) + " " + a.y.toFixed(1) + " Q" + ((a.x + b.x) / 3).toFixed(1) + " "
        + ((a.y + b.y) / 3).toFixed(1) + " " + b.x.toFixed(1) + " " + b.y.toFixed(1);
      var pair = vector("g", {"class": "network-pair", "data-a": self.nodes[edge.a].key, "data-b": self.nodes[edge.b].key});
      pair.appendChild(paint(vector("path", {"class": "network-edge" + (edge.faint ? " network-faint" : ""), d: path,
                                             "stroke-width": edge.width.toFixed(1)}), edge.faint));
      // a wide invisible twin of the line: a thin edge is hard to hit with the pointer
      pair.appendChild(vector("path", {"class": "network-hit", d: path, fill: "none", stroke: "transparent",
                                       "stroke-width": 9}));
      var words = self.edgeTitle(edge);
      titled(pair, words);
      pair.addEventListener("click", function () { self.tell(words); });
      lines.appendChild(pair);
    });
    var discs = vector("g", {"class": "network-nodes"});
    layout.placed.forEach(function (place) {
      var node = place.node;
      var outward = Math.cos(place.angle) >= -1e-9;
      var turn = place.angle * 180 / Math.PI + (outward ? 0 : 180);
      var about = node.name + " (" + node.key + "), " + (node.category || "other") + ", " + shown(node.mentions)
        + " mention(s)";
      var item = vector("g", {"class": "network-node", "data-key": node.key});
      item.appendChild(titled(vector("circle", {cx: place.x.toFixed(1), cy: place.y.toFixed(1), r: place.size.toFixed(1),
                                                fill: self.data.colours[node.category] || self.data.colours[""]}), about));
      var text = vector("text", {transform: "translate(" + (labelAt * Math.cos(place.angle)).toFixed(1) + " "
        + (labelAt * Math.sin(place.angle)).toFixed(1) + ") rotate(" + turn.toFixed(1) + ")", dy: "0.35em",
        "text-anchor": outward ? "start" : "end"});
      text.textContent = place.label;
      item.appendChild(text);
      item.addEventListener("click", function () { self.tell(about); });
      discs.appendChild(item);
    });
    picture.appendChild(lines);
    picture.appendChild(discs);
    return picture;
  };

  Network.prototype.tell = function (words) {
    this.detail.textContent = words;
    this.detail.hidden = false;
  };

  function swatch(width) {
    return vector("svg", {"class": "network-swatch", width: width, height: 12, viewBox: "0 0 " + width + " 12",
                          "aria-hidden": "true"});
  }

  Network.prototype.legendItems = function (layout, drawn) {
    var colours = this.data.colours;
    var legend = element("ul", "network-legend");
    var seen = [];
    layout.placed.forEach(function (place) {
      if (seen.indexOf(place.node.category) === -1) { seen.push(place.node.category); }
    });
    seen.forEach(function (category) {
      var item = element("li");
      var mark = swatch(12);
      mark.appendChild(vector("circle", {cx: 6, cy: 6, r: 5, fill: colours[category] || colours[""]}));
      item.appendChild(mark);
      item.appendChild(document.createTextNode(" " + (category || "other")));
      legend.appendChild(item);
    });
    var largest = Math.max.apply(null, [0].concat(layout.placed.map(function (place) { return place.node.mentions; })));
    legend.appendChild(element("li", "", "disc area: mentions (largest drawn: " + shown(largest) + ")"));
    var strong = drawn.filter(function (edge) { return !edge.faint; });
    function line(width, faint) {
      var mark = swatch(36);
      mark.appendChild(paint(vector("line", {"class": "network-edge" + (faint ? " network-faint" : ""), x1: 2, y1: 6,
                                             x2: 34, y2: 6, "stroke-width": width.toFixed(1)}), faint));
      return mark;
    }
    if (strong.length) {
      var widest = strong.reduce(function (best, edge) { return edge.strength > best.strength ? edge : best; });
      var item = element("li");
      item.appendChild(line(1.5, false));
      item.appendChild(line(7, false));
      item.appendChild(document.createTextNode(" line width: " + this.data.ranked + ", from " + this.data.neutral
        + " to " + shown(widest.ranked) + " (the widest drawn)"));
      legend.appendChild(item);
    }
    var faint = element("li");
    faint.appendChild(line(1, true));
    faint.appendChild(document.createTextNode(" " + this.data.faint));
    legend.appendChild(faint);
    return legend;
  };

  Network.prototype.table = function (drawn) {
    var self = this;
    var table = element("table", "network-table tex2jax_ignore mathjax_ignore");
    var head = element("tr");
    var names = ["", "actor A", "actor B", this.data.measure];
    if (this.data.interval !== null) { names.push(this.data.interval + " interval"); }
    names.push("units", "documents");
    names.forEach(function (name) { head.appendChild(element("th", "", name)); });
    table.appendChild(element("thead")).appendChild(head);
    var body = table.appendChild(element("tbody"));
    drawn.forEach(function (edge, position) {
      var row = element("tr");
      row.setAttribute("data-a", self.nodes[edge.a].key);
      row.setAttribute("data-b", self.nodes[edge.b].key);
      row.appendChild(element("th", "", String(position + 1)));
      var cells = [self.nodes[edge.a].name, self.nodes[edge.b].name, shown(edge.value)];
      if (self.data.interval !== null) { cells.push(interval(edge)); }
      cells.push(shown(edge.count), shown(edge.documents));
      cells.forEach(function (text) { row.appendChild(element("td", "", text)); });
      body.appendChild(row);
    });
    if (!drawn.length) {
      var none = element("tr");
      var cell = element("td", "", "No ranked pair among the chosen actors.");
      cell.colSpan = names.length;
      none.appendChild(cell);
      body.appendChild(none);
    }
    return table;
  };

  Network.prototype.chosenList = function () {
    var self = this;
    while (this.list.firstChild) { this.list.removeChild(this.list.firstChild); }
    this.chosen.forEach(function (number) {
      var node = self.nodes[number];
      var item = element("li", "network-actor");
      item.setAttribute("data-key", node.key);
      item.appendChild(element("span", "", node.name));
      var button = element("button", "network-remove", "\u00d7");
      button.type = "button";
      button.setAttribute("aria-label", "Remove " + node.name);
      button.title = "Remove " + node.name;
      button.addEventListener("click", function () { self.remove(number); });
      item.appendChild(button);
      self.list.appendChild(item);
    });
  };

  function replace(container, content) {
    while (container.firstChild) { container.removeChild(container.firstChild); }
    container.appendChild(content);
  }

  Network.prototype.render = function () {
    var layout = this.layout();
    var drawn = this.drawnEdges(new Set(this.chosen));
    replace(this.drawing, this.picture(layout, drawn));
    var legend = this.legendItems(layout, drawn);
    this.legend.parentNode.replaceChild(legend, this.legend);
    this.legend = legend;
    replace(this.pairs, this.table(drawn));
    this.status.textContent = "Network of " + layout.placed.length + " actor(s) and " + drawn.length
      + " pair(s), of " + this.nodes.length + " actors and " + this.edges.length + " ranked pairs in all.";
    this.chosenList();
    this.detail.hidden = true;
  };

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll(".network-view[data-network]"), function (view) {
      var data;
      try { data = JSON.parse(view.getAttribute("data-network")); } catch (error) { return; } // the static view stays
      new Network(view, data);
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
}());
