"""The app's CSS and head script; the class names pair with the HTML built in render.py."""

CSS = """
.sq-card {border:1px solid var(--border-color-primary); border-radius:6px; padding:4px 8px; margin:4px 0}
.sq-card summary {cursor:pointer; font-weight:600}
.sq-para {margin:6px 0; line-height:1.7}
.sq-para mark {background:#ffe58f; padding:0 1px}
.sq-related {border-left:3px solid #aaa; padding-left:8px; margin-top:8px; color:var(--body-text-color-subdued)}
.sq-p {line-height:1.8; margin:6px 0}
.sq-h {font-weight:700}
.sq-hit {background:#fff7d6}
.sq-no {color:#888; font-size:0.85em; margin-right:4px}
.sq-mark {color:#1a5fb4}
.sq-excerpt {border-left:3px solid #1a5fb4; padding:2px 10px; margin:8px 0}
.sq-ex-text {line-height:1.8; margin:4px 0}
.sq-ex-src {font-size:0.85em; color:var(--body-text-color-subdued); margin:0 0 6px}
.sq-compare-wrap {overflow-x:auto}
.sq-compare {border-collapse:collapse; table-layout:fixed; min-width:100%}
.sq-compare th, .sq-compare td {border:1px solid var(--border-color-primary); padding:6px; vertical-align:top; min-width:220px}
.sq-silent {color:#888; text-align:center; font-style:italic}
mark.sq-new {background:#ffe58f; font-weight:600}
.sq-pair {border:1px solid var(--border-color-primary); border-radius:6px; padding:4px 8px; margin:4px 0}
.sq-diff del {background:#fdd; color:#a00} .sq-diff ins {background:#dfd; color:#060; text-decoration:none}
.sq-feedback {border-left:4px solid; padding:4px 10px; margin:6px 0}
.sq-ok {border-color:#2e7d32} .sq-bad {border-color:#c62828}
.sq-expl {color:var(--body-text-color-subdued); line-height:1.7}
.sq-score {font-size:1.1em; padding:8px; background:#f1f8e9; border-radius:6px}
.sq-progress {color:#1a5fb4; font-weight:600}
"""
# Opening "?speech=STEM&p=N#p-N" shows that paragraph in the reader (citation cards link there).
HEAD = """<script>
(function(){let n=0;const t=setInterval(function(){const h=location.hash;
if(!h||++n>80){clearInterval(t);return;}const el=document.getElementById(h.slice(1));
if(el){el.scrollIntoView({block:'center'});clearInterval(t);}},250);})();
</script>"""
