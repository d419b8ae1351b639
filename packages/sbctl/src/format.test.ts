import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { displayText, formatFields, formatTable, orDash } from "./format.js";

describe("formatTable", () => {
  it("aligns every column to its widest cell, two spaces apart", () => {
    const table = formatTable(
      ["AOR", "CONTACTS"],
      [
        ["1000@localhost", "2"],
        ["o'brien@example.com", "10"],
      ],
    );
    assert.equal(
      table,
      [
        "AOR                  CONTACTS\n",
        "1000@localhost       2\n",
        "o'brien@example.com  10\n",
      ].join(""),
    );
  });

  it("leaves no trailing spaces when the last column is narrow", () => {
    const table = formatTable(["A", "LONG HEADER"], [["x", ""]]);
    for (const line of table.split("\n")) assert.equal(line, line.trimEnd());
  });

  it("measures width in characters, not UTF-16 units", () => {
    const table = formatTable(["NAME", "X"], [["𝄞𝄞", "1"]]);
    assert.equal(table, "NAME  X\n𝄞𝄞    1\n");
  });

  it("escapes control characters in cells so a value cannot drive the terminal", () => {
    const table = formatTable(["UA"], [["evil\u001b[2Jphone\r\n"]]);
    assert.equal(table, "UA\nevil\\u{1b}[2Jphone\\u{d}\\u{a}\n");
  });
});

describe("formatFields", () => {
  it("aligns the values after the longest name", () => {
    assert.equal(
      formatFields([
        ["username", "1000"],
        ["email", "user1@nowhere.com"],
      ]),
      "username  1000\nemail     user1@nowhere.com\n",
    );
  });
});

describe("displayText", () => {
  it("escapes bidi overrides that could disguise text", () => {
    assert.equal(displayText("a\u202eb"), "a\\u{202e}b");
  });
});

describe("orDash", () => {
  it("shows missing values as -", () => {
    assert.deepEqual([null, undefined, "", 0, "x"].map(orDash), ["-", "-", "-", "0", "x"]);
  });
});
