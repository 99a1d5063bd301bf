// Shared server schema, version 3: the 佐证材料's bytes travel too (issue 18 item 7 online). Version
// 2 carried only the index (hash, name, size, type), so the office's copy listed a department's
// attachment but could not open it. Now the copy that has the file uploads it after its push through
// czt.put_attachment, which stores it only when its SHA-256 is the key, its length the recorded size,
// and the caller's department (or the office) has an entry naming it; content once stored is never
// replaced. Copies read the content of what they lack after pull and clone through
// czt.attachment_contents: the office all of it, a department what its own entries name (the column
// itself stays unreadable: one department's evidence is not every department's to read).
//
// Removing an attachment becomes an operation too: round_evidence 'row' set to NULL against the
// entry it removes (version 2 refused every NULL row). The office, or the department whose entry it
// is while the round is open, may remove it; the stored content stays (another entry may name it).
export const SQL = String.raw`
ALTER FUNCTION czt.field_set(text, text, text, text, text) RENAME TO field_set_v2;
ALTER FUNCTION czt.refusal(czt.person, text, text, text, text, text) RENAME TO refusal_v2;

CREATE FUNCTION czt.field_set(p_tbl text, p_row text, p_field text, v text, p_at text) RETURNS void
LANGUAGE plpgsql SET search_path = czt, pg_temp AS $f$
DECLARE k text[];
BEGIN
  IF p_tbl = 'round_evidence' AND p_field = 'row' AND v IS NULL THEN
    k := string_to_array(p_row, '|');
    DELETE FROM round_evidence WHERE id = (SELECT x.id FROM round_evidence x
      WHERE x.round_id = k[1]::integer AND x.dept_id::text = k[2] AND x.sha256 = k[3] AND x.measure_id IS NOT DISTINCT FROM nullif(k[4], '') ORDER BY x.id LIMIT 1);
    RETURN;
  END IF;
  PERFORM field_set_v2(p_tbl, p_row, p_field, v, p_at);
END $f$;

CREATE FUNCTION czt.refusal(who czt.person, p_tbl text, p_row text, p_field text, p_old text, p_new text) RETURNS text
LANGUAGE plpgsql STABLE SET search_path = czt, pg_temp AS $f$
DECLARE k text[]; rst text; st text;
BEGIN
  IF NOT (p_tbl = 'round_evidence' AND p_field = 'row' AND p_new IS NULL) THEN
    RETURN refusal_v2(who, p_tbl, p_row, p_field, p_old, p_new);
  END IF;
  IF who.role = 'office' THEN RETURN NULL; END IF;
  SELECT state INTO st FROM department WHERE id = who.dept_id;
  IF st IS DISTINCT FROM '在用' THEN RETURN format('%s已%s，不能再修改', who.unit, coalesce(st, '不存在')); END IF;
  k := string_to_array(p_row, '|');
  IF k[2] IS DISTINCT FROM who.dept_id::text THEN RETURN format('%s只能删除本单位的佐证材料', who.unit); END IF;
  SELECT state INTO rst FROM round WHERE id::text = k[1];
  IF rst IS DISTINCT FROM '进行中' THEN
    RETURN format('调度轮次 %s %s，不能再删除佐证材料', k[1], CASE WHEN rst IS NULL THEN '不存在' ELSE '已结束' END);
  END IF;
  RETURN NULL;
END $f$;

-- The hashes whose content the server lacks and the caller may upload (the office: all of them).
CREATE FUNCTION czt.attachments_to_upload() RETURNS TABLE (sha256 text, bytes integer)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = czt, pg_temp AS $f$
  SELECT a.sha256, a.bytes FROM attachment a, person p
  WHERE p.login = session_user AND a.content IS NULL
    AND (p.role = 'office' OR EXISTS (SELECT 1 FROM round_evidence e WHERE e.sha256 = a.sha256 AND e.dept_id = p.dept_id))
  ORDER BY a.sha256
$f$;

-- The stored contents among these hashes that the caller may read.
CREATE FUNCTION czt.attachment_contents(p_shas text[]) RETURNS TABLE (sha256 text, content bytea)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = czt, pg_temp AS $f$
  SELECT a.sha256, a.content FROM attachment a, person p
  WHERE p.login = session_user AND a.sha256 = ANY(p_shas) AND a.content IS NOT NULL
    AND (p.role = 'office' OR EXISTS (SELECT 1 FROM round_evidence e WHERE e.sha256 = a.sha256 AND e.dept_id = p.dept_id))
$f$;

-- Store an attachment's content: true when stored now, false when it was already there (a retry).
CREATE FUNCTION czt.put_attachment(p_sha text, p_content bytea) RETURNS boolean
LANGUAGE plpgsql SECURITY DEFINER SET search_path = czt, pg_temp AS $f$
DECLARE who person; a attachment;
BEGIN
  SELECT * INTO who FROM person WHERE login = session_user;
  IF NOT FOUND THEN RAISE EXCEPTION '用户 % 未在协同服务器登记', session_user USING ERRCODE = 'insufficient_privilege'; END IF;
  SELECT * INTO a FROM attachment WHERE sha256 = p_sha FOR UPDATE;
  IF NOT FOUND THEN RAISE EXCEPTION '服务器上没有这份佐证材料的登记：%', left(coalesce(p_sha, ''), 64) USING ERRCODE = 'no_data_found'; END IF;
  IF who.role <> 'office' AND NOT EXISTS (SELECT 1 FROM round_evidence e WHERE e.sha256 = p_sha AND e.dept_id = who.dept_id) THEN
    RAISE EXCEPTION '%没有登记这份佐证材料，不能上传其内容', who.unit USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_content IS NULL OR encode(sha256(p_content), 'hex') <> p_sha THEN
    RAISE EXCEPTION '上传的内容与佐证材料的 SHA-256 不符' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF length(p_content) <> a.bytes THEN
    RAISE EXCEPTION '上传的内容长度与登记的大小不符' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF a.content IS NOT NULL THEN RETURN false; END IF;
  UPDATE attachment SET content = p_content WHERE sha256 = p_sha;
  RETURN true;
END $f$;
`;

export const GRANTS = String.raw`
REVOKE ALL ON FUNCTION czt.field_set(text, text, text, text, text), czt.refusal(czt.person, text, text, text, text, text),
  czt.attachments_to_upload(), czt.attachment_contents(text[]), czt.put_attachment(text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION czt.attachments_to_upload(), czt.attachment_contents(text[]), czt.put_attachment(text, bytea) TO czt_user;
`;
