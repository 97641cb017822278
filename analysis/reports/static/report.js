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
