package officer

import (
	"fmt"
	"html/template"
	"io"
	"net/http"
	"strconv"
	"strings"
	"wumen/site/jsonapi"

	"github.com/paulmach/orb"
	"github.com/paulmach/orb/encoding/wkt"
	"github.com/paulmach/orb/geojson"

	"wumen/gazetteer"
	"wumen/gazetteer/account"
	"wumen/gazetteer/review"
)

var stateZH = map[review.State]string{
	review.Draft: "草稿", review.Submitted: "已提交", review.UnderReview: "审核中", review.Approved: "已批准",
	review.Rejected: "不予批准", review.Filed: "已备案", review.Announced: "已公告", review.Applied: "已入库",
}

var sevZH = map[review.Severity]string{review.Block: "否决", review.Warn: "警示", review.Note: "提示"}

func (h *Handler) parseTemplates() error {
	funcs := template.FuncMap{
		"state":    func(s review.State) string { return stateZH[s] + " " + string(s) },
		"severity": func(s review.Severity) string { return sevZH[s] + " " + string(s) },
		"attTitle": review.AttachmentTitle,
		"can":      account.Can,
		"placeURL": func(id int64) string { return fmt.Sprintf(h.opts.PlaceURL, id) },
		"mapURL":   func(p orb.Point) string { return fmt.Sprintf(h.opts.MapURL, p.Lat(), p.Lon()) },
		"inc":      func(i int) int { return i + 1 },
		"article":  review.ArticleText,
		"list":     func(s ...string) []string { return s },
		"kindZH": func(k review.Action) string {
			return map[review.Action]string{review.Naming: "命名", review.Renaming: "更名", review.Cancel: "注销", review.Adjust: "起止点调整"}[k]
		},
	}
	base, err := template.New("layout.html").Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/partials.html")
	if err != nil {
		return err
	}
	h.pages = map[string]*template.Template{}
	for _, name := range []string{"login", "queue", "form", "proposal", "report", "users", "audit", "notices", "notice", "error", "token", "check", "positions", "position"} {
		t, err := template.Must(base.Clone()).ParseFS(templateFS, "templates/"+name+".html")
		if err != nil {
			return err
		}
		h.pages[name] = t
	}
	return nil
}

func (h *Handler) render(w http.ResponseWriter, name string, sess *account.Session, data map[string]any) {
	if data == nil {
		data = map[string]any{}
	}
	data["Session"] = sess
	if sess != nil {
		data["User"] = sess.User
		data["CSRF"] = sess.CSRF
	}
	if mapPages[name] {
		w.Header().Set("Content-Security-Policy", mapCSP)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	if err := h.pages[name].ExecuteTemplate(w, "layout.html", data); err != nil {
		h.log.Error("officer template", "page", name, "err", err)
	}
}

func (h *Handler) loginPage(w http.ResponseWriter, r *http.Request) {
	tok := randomString()
	h.setCookie(w, r, loginCookie, tok, "/officer/login", 1800)
	h.render(w, "login", nil, map[string]any{"Title": "登录 Log in", "LoginCSRF": tok})
}

func (h *Handler) login(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 1<<16)
	c, err := r.Cookie(loginCookie)
	if err != nil || !sameToken(r.PostFormValue("csrf"), c.Value) {
		h.fail(w, r, nil, gazetteer.Errorf(gazetteer.EForbidden, "the login form's security token is missing or wrong; reload the page"))
		return
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	ctx := h.audited(r, name, "login", func() (string, string) { return "user " + name, "" })
	tok, _, err := h.Accounts.Login(ctx, name, r.PostFormValue("password"), h.clientIP(r))
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	h.setCookie(w, r, loginCookie, "", "/officer/login", -1)
	h.setCookie(w, r, sessionCookie, tok, "/", int(h.Accounts.SessionTTL.Seconds()))
	http.Redirect(w, r, "/officer/queue", http.StatusSeeOther)
}

func (h *Handler) logout(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	if c, err := r.Cookie(sessionCookie); err == nil {
		ctx := h.audited(r, sess.User.Name, "logout", func() (string, string) { return "user " + sess.User.Name, "" })
		if err := h.Accounts.Logout(ctx, c.Value); err != nil {
			h.fail(w, r, sess, err)
			return
		}
	}
	h.setCookie(w, r, sessionCookie, "", "/", -1)
	http.Redirect(w, r, "/officer/login", http.StatusSeeOther)
}

type queueRow struct {
	*review.Proposal
	Overdue []review.Overdue
}

func (h *Handler) queue(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	ps, err := h.Reviews.List(r.Context())
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	var rows []queueRow
	late := 0
	for _, p := range ps {
		od := h.Reviews.Overdue(p)
		if len(od) > 0 {
			late++
		}
		rows = append(rows, queueRow{p, od})
	}
	h.render(w, "queue", sess, map[string]any{"Title": "审核队列 Queue", "Rows": rows, "Late": late})
}

func (h *Handler) newProposal(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	p := &review.Proposal{Kind: review.Naming}
	if t, err := strconv.ParseInt(r.URL.Query().Get("target"), 10, 64); err == nil {
		p.Target = t
		p.Kind = review.Action(r.URL.Query().Get("kind"))
	}
	d := map[string]any{"Title": "新申报 New proposal", "P": p, "Action": "/officer/proposals"}
	h.mapSettings(d)
	h.render(w, "form", sess, d)
}

// parseGeometry reads a geometry typed as "lat,lon", WKT or GeoJSON
// (review.ParseGeometry).
func parseGeometry(s string) (*geojson.Geometry, error) {
	g, err := review.ParseGeometry(s)
	if g == nil || err != nil {
		return nil, err
	}
	return geojson.NewGeometry(g), nil
}

// fillProposal reads the proposal form into p.
func (h *Handler) fillProposal(r *http.Request, p *review.Proposal) error {
	f := func(k string) string { return strings.TrimSpace(r.PostFormValue(k)) }
	if k := f("kind"); k != "" {
		p.Kind = review.Action(k)
	}
	p.Name, p.Scale, p.Admin, p.Applicant, p.Reasons, p.Protection, p.Start, p.End =
		f("name"), f("scale"), f("admin"), f("applicant"), f("reasons"), f("protection"), f("start"), f("end")
	p.Category, p.CategoryText = formCategory(r)
	p.Target = 0
	if t := f("target"); t != "" {
		id, err := strconv.ParseInt(t, 10, 64)
		if err != nil {
			return gazetteer.Errorf(gazetteer.EInvalid, "the place id %q is not a number", t)
		}
		p.Target = id
	}
	geomText := f("geometry")
	if file, _, err := r.FormFile("geojson"); err == nil {
		b, err := io.ReadAll(io.LimitReader(file, 1<<20))
		file.Close()
		if err != nil {
			return err
		}
		if len(strings.TrimSpace(string(b))) > 0 {
			geomText = string(b)
		}
	}
	g, err := parseGeometry(geomText)
	if err != nil {
		return err
	}
	p.Geometry = g
	return nil
}

func (h *Handler) createProposal(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	p := &review.Proposal{}
	err := h.fillProposal(r, p)
	if err == nil {
		ctx := h.audited(r, sess.User.Name, "proposal.create", func() (string, string) {
			return fmt.Sprintf("proposal %d", p.ID), p.Title() + "：" + p.Reasons
		})
		err = h.Reviews.Create(ctx, p, sess.User.Name)
	}
	if err != nil {
		w.WriteHeader(jsonapi.Status(gazetteer.ErrorCode(err)))
		d := map[string]any{"Title": "新申报 New proposal", "P": p, "Action": "/officer/proposals", "Error": gazetteer.ErrorMessage(err), "Geometry": r.PostFormValue("geometry")}
		h.mapSettings(d)
		d["MapGeometry"] = geometryJSON(p.Geometry)
		h.render(w, "form", sess, d)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/officer/proposals/%d", p.ID), http.StatusSeeOther)
}

func (h *Handler) load(w http.ResponseWriter, r *http.Request, sess *account.Session) *review.Proposal {
	id, err := pathID(r, "id")
	if err == nil {
		var p *review.Proposal
		if p, err = h.Reviews.Get(r.Context(), id); err == nil {
			return p
		}
	}
	h.fail(w, r, sess, err)
	return nil
}

func geomText(p *review.Proposal) string {
	if p.Geometry == nil {
		return ""
	}
	g := p.Geometry.Geometry()
	if pt, ok := g.(orb.Point); ok {
		return fmt.Sprintf("%.6f,%.6f", pt.Lat(), pt.Lon())
	}
	return wkt.MarshalString(g)
}

func (h *Handler) proposalData(r *http.Request, p *review.Proposal) (map[string]any, error) {
	ctx := r.Context()
	atts, err := h.Reviews.Attachments(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	comments, err := h.Reviews.Comments(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	hist, err := h.Reviews.History(ctx, p.ID)
	if err != nil {
		return nil, err
	}
	rep := p.Report
	if rep == nil {
		if rep, err = h.Reviews.Check(ctx, p); err != nil {
			return nil, err
		}
	}
	d := map[string]any{"Title": fmt.Sprintf("#%d %s", p.ID, p.Title()), "P": p, "Report": rep, "Attachments": atts,
		"Comments": comments, "History": hist, "Overdue": h.Reviews.Overdue(p), "Geometry": geomText(p), "Today": h.opts.Now().Format("2006-01-02")}
	if p.Geometry != nil {
		d["Point"] = gazetteer.LabelPoint(p.Geometry.Geometry())
	}
	h.mapData(r, d, p, rep)
	if p.Target > 0 {
		if t, err := h.store.Get(ctx, p.Target); err == nil {
			d["Target"] = t
		}
	}
	var missing []string
	for _, k := range review.RequiredAttachments {
		found := false
		for _, a := range atts {
			found = found || a.Kind == k
		}
		if !found {
			missing = append(missing, review.AttachmentTitle(k))
		}
	}
	d["Missing"] = missing
	return d, nil
}

func (h *Handler) proposal(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	h.proposalView(w, r, sess, "proposal")
}

// printReport is the printable review report: the proposal's data in the
// print template.
func (h *Handler) printReport(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	h.proposalView(w, r, sess, "report")
}

func (h *Handler) proposalView(w http.ResponseWriter, r *http.Request, sess *account.Session, tmpl string) {
	p := h.load(w, r, sess)
	if p == nil {
		return
	}
	d, err := h.proposalData(r, p)
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	h.render(w, tmpl, sess, d)
}

func (h *Handler) editPage(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	p := h.load(w, r, sess)
	if p == nil {
		return
	}
	d := map[string]any{"Title": fmt.Sprintf("修改 #%d Edit", p.ID), "P": p, "Geometry": geomText(p), "Action": fmt.Sprintf("/officer/proposals/%d/edit", p.ID)}
	h.mapSettings(d)
	d["MapGeometry"] = geometryJSON(p.Geometry)
	h.render(w, "form", sess, d)
}

func (h *Handler) edit(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	p := h.load(w, r, sess)
	if p == nil {
		return
	}
	why := r.PostFormValue("why")
	ctx := h.audited(r, sess.User.Name, "proposal.edit", func() (string, string) { return fmt.Sprintf("proposal %d", p.ID), why })
	_, err := h.Reviews.Update(ctx, p.ID, sess.User.Name, why, r.PostFormValue("version"), func(q *review.Proposal) error { return h.fillProposal(r, q) })
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/officer/proposals/%d", p.ID), http.StatusSeeOther)
}

func (h *Handler) attach(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	p := h.load(w, r, sess)
	if p == nil {
		return
	}
	n := 0
	for _, kind := range []string{review.AttachAssessment, review.AttachExpert, review.AttachConsultation, review.AttachOther} {
		file, hdr, err := r.FormFile(kind)
		if err != nil {
			continue
		}
		b, err := io.ReadAll(io.LimitReader(file, h.Reviews.MaxAttachment+1))
		file.Close()
		if err != nil {
			h.fail(w, r, sess, err)
			return
		}
		if len(b) == 0 {
			continue
		}
		a := &review.Attachment{Kind: kind, Filename: hdr.Filename, MIME: hdr.Header.Get("Content-Type"), Data: b}
		ctx := h.audited(r, sess.User.Name, "proposal.attach", func() (string, string) {
			return fmt.Sprintf("proposal %d", p.ID), review.AttachmentTitle(a.Kind) + "：" + a.Filename
		})
		if err := h.Reviews.Attach(ctx, p.ID, a, sess.User.Name); err != nil {
			h.fail(w, r, sess, err)
			return
		}
		n++
	}
	if n == 0 {
		h.fail(w, r, sess, gazetteer.Errorf(gazetteer.EInvalid, "no file was chosen"))
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/officer/proposals/%d#files", p.ID), http.StatusSeeOther)
}

func (h *Handler) download(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	id, err := pathID(r, "id")
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	aid, err := pathID(r, "aid")
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	a, err := h.Reviews.Attachment(r.Context(), id, aid)
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	// Always a download: an uploaded HTML file must not run in this origin.
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename*=UTF-8''%s", urlEscape(a.Filename)))
	w.Write(a.Data)
}

func urlEscape(s string) string {
	var b strings.Builder
	for _, c := range []byte(s) {
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '-' || c == '_' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

func (h *Handler) comment(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	p := h.load(w, r, sess)
	if p == nil {
		return
	}
	kind := r.PostFormValue("kind")
	if kind == "expert" && !account.Can(sess.User.Role, account.PermDecide) {
		h.fail(w, r, sess, gazetteer.Errorf(gazetteer.EForbidden, "only reviewers record expert opinions"))
		return
	}
	body := r.PostFormValue("body")
	ctx := h.audited(r, sess.User.Name, "proposal."+kind, func() (string, string) { return fmt.Sprintf("proposal %d", p.ID), body })
	if err := h.Reviews.Comment(ctx, p.ID, kind, sess.User.Name, body); err != nil {
		h.fail(w, r, sess, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/officer/proposals/%d#comments", p.ID), http.StatusSeeOther)
}

func (h *Handler) transition(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	p := h.load(w, r, sess)
	if p == nil {
		return
	}
	t := review.Transition{Action: r.PostFormValue("action"), Document: strings.TrimSpace(r.PostFormValue("document")),
		Date: r.PostFormValue("date"), Reason: r.PostFormValue("reason"), Notice: r.PostFormValue("notice")}
	if !account.Can(sess.User.Role, decidePerm(t.Action)) {
		h.fail(w, r, sess, gazetteer.Errorf(gazetteer.EForbidden, "your role (%s) may not %s a proposal", sess.User.Role, t.Action))
		return
	}
	ctx := h.audited(r, sess.User.Name, "proposal."+t.Action, func() (string, string) {
		return fmt.Sprintf("proposal %d", p.ID), strings.TrimSpace(t.Document + " " + t.Reason)
	})
	if _, err := h.Reviews.Transition(ctx, p.ID, t, sess.User.Name); err != nil {
		h.fail(w, r, sess, err)
		return
	}
	http.Redirect(w, r, fmt.Sprintf("/officer/proposals/%d", p.ID), http.StatusSeeOther)
}

func (h *Handler) users(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	us, err := h.Accounts.Users(r.Context())
	var toks []account.Token
	for _, u := range us {
		if err != nil {
			break
		}
		var ts []account.Token
		ts, err = h.Accounts.Tokens(r.Context(), u.Name)
		toks = append(toks, ts...)
	}
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	h.render(w, "users", sess, map[string]any{"Title": "用户 Users", "Users": us, "Tokens": toks})
}

func (h *Handler) addUser(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	name, role := strings.TrimSpace(r.PostFormValue("name")), r.PostFormValue("role")
	ctx := h.audited(r, sess.User.Name, "user.add", func() (string, string) { return "user " + name, "role " + role })
	if _, err := h.Accounts.AddUser(ctx, name, role, r.PostFormValue("password")); err != nil {
		h.fail(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/officer/users", http.StatusSeeOther)
}

func (h *Handler) disableUser(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	name := r.PathValue("name")
	disable := r.PostFormValue("disabled") != "false"
	ctx := h.audited(r, sess.User.Name, "user.disable", func() (string, string) { return "user " + name, fmt.Sprintf("disabled=%v", disable) })
	if err := h.Accounts.SetDisabled(ctx, name, disable); err != nil {
		h.fail(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/officer/users", http.StatusSeeOther)
}

func (h *Handler) newToken(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	name := r.PathValue("name")
	label := r.PostFormValue("label")
	ctx := h.audited(r, sess.User.Name, "user.token", func() (string, string) { return "user " + name, label })
	tok, err := h.Accounts.NewToken(ctx, name, label)
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	h.render(w, "token", sess, map[string]any{"Title": "API token", "Name": name, "Token": tok})
}

func (h *Handler) audit(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	log, err := h.Accounts.AuditLog(r.Context(), 500)
	var fails []account.LoginFailures
	if err == nil {
		fails, err = h.Accounts.FailedLogins(r.Context(), 200)
	}
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	h.render(w, "audit", sess, map[string]any{"Title": "审计日志 Audit log", "Log": log, "Failures": fails})
}

func (h *Handler) revokeToken(w http.ResponseWriter, r *http.Request, sess *account.Session) {
	name := r.PathValue("name")
	id, err := pathID(r, "id")
	if err == nil {
		ctx := h.audited(r, sess.User.Name, "user.revoke", func() (string, string) { return "user " + name, fmt.Sprintf("token %d", id) })
		err = h.Accounts.RevokeToken(ctx, name, id)
	}
	if err != nil {
		h.fail(w, r, sess, err)
		return
	}
	http.Redirect(w, r, "/officer/users", http.StatusSeeOther)
}

func (h *Handler) notices(w http.ResponseWriter, r *http.Request) {
	ns, err := h.Reviews.Notices(r.Context())
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	w.Header().Set("Cache-Control", "public, max-age=300")
	h.render(w, "notices", nil, map[string]any{"Title": "地名公告 Place-name notices", "Notices": ns, "Public": true})
}

func (h *Handler) notice(w http.ResponseWriter, r *http.Request) {
	id, err := pathID(r, "id")
	var p *review.Proposal
	if err == nil {
		p, err = h.Reviews.Get(r.Context(), id)
	}
	if err == nil && p.State != review.Announced && p.State != review.Applied {
		err = gazetteer.Errorf(gazetteer.ENotFound, "notice %d not found", id)
	}
	if err != nil {
		h.fail(w, r, nil, err)
		return
	}
	h.render(w, "notice", nil, map[string]any{"Title": "地名公告 #" + strconv.FormatInt(p.ID, 10), "P": p, "Public": true})
}
