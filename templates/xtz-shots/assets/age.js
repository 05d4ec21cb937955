// Adds how long ago each block time was ("3 hours ago") next to the date the page states, so the
// page itself stays byte-identical between builds while readers see how fresh an artifact is.
(function () {
  "use strict";
  var units = [["day", 86400], ["hour", 3600], ["minute", 60]];
  function ago(seconds) {
    for (var i = 0; i < units.length; i++) {
      var count = Math.floor(seconds / units[i][1]);
      if (count >= 1) return count + " " + units[i][0] + (count === 1 ? "" : "s") + " ago";
    }
    return "just now";
  }
  document.querySelectorAll("time[datetime]").forEach(function (element) {
    var when = Date.parse(element.getAttribute("datetime"));
    if (isNaN(when)) return;
    var seconds = (Date.now() - when) / 1000;
    if (seconds < 0) return;
    var note = document.createElement("span");
    note.className = "muted";
    note.textContent = " (" + ago(seconds) + ")";
    element.after(note);
  });
})();
