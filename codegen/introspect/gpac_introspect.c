/*
 * gpac_introspect.c - part of gpac-ts (project code, not GPAC code).
 *
 * Compiled at generation time by codegen/introspect/index.ts against an installed GPAC, so that the
 * layouts of GF_FilterRegister, GF_FilterArgs and GF_BuiltInProperty (which depend on GPAC_DISABLE_DOC
 * in that install's gpac/configuration.h) are always those of the library it links with.
 *
 * Prints one JSON document on stdout: library version and ABI, the members of the enums the TS side
 * needs names for, every filter register with every argument, the JavaScript filters GPAC ships (as
 * gpac -h filters lists them), every built-in property, and the names libgpac gives to values (stream
 * types, codec IDs, the GF_PROP_* enum types: pixel/audio formats, CICP), which live in its C tables.
 * Usage: gpac_introspect [--docs]   (--docs adds GPAC's descriptions when the build has them)
 * Exit codes: 0 ok, 2 GPAC init/session failure, 3 write failure.
 *
 * gpac_introspect_enums.h is written by the TS wrapper next to this file's build: X-macro lists of the
 * members of GF_PropType, GF_FSRegisterFlags and GF_FSArgumentFlags taken from the installed filters.h,
 * and of the GF_STREAM_* enum of constants.h, so the names printed are exactly those of that header
 * version and the values come from the compiler.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <gpac/tools.h>
#include <gpac/version.h>
#include <gpac/constants.h>
#include <gpac/filters.h>

#include "gpac_introspect_enums.h"

static FILE *out;

/* JSON string. Bytes that are not valid UTF-8 are written as \u00XX (read as Latin-1) so that the
 * document always parses and no byte is silently replaced. */
static void json_str(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	if (!s) {
		fputs("null", out);
		return;
	}
	fputc('"', out);
	while (*p) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			fputc('\\', out);
			fputc(c, out);
			p++;
		} else if (c == '\n') {
			fputs("\\n", out);
			p++;
		} else if (c == '\r') {
			fputs("\\r", out);
			p++;
		} else if (c == '\t') {
			fputs("\\t", out);
			p++;
		} else if (c < 0x20 || c == 0x7F) {
			fprintf(out, "\\u%04x", c);
			p++;
		} else if (c < 0x80) {
			fputc(c, out);
			p++;
		} else {
			/* length of a well-formed UTF-8 sequence starting here, 0 if ill-formed */
			int len = 0, i;
			if (c >= 0xC2 && c <= 0xDF) len = 2;
			else if (c >= 0xE0 && c <= 0xEF) len = 3;
			else if (c >= 0xF0 && c <= 0xF4) len = 4;
			for (i = 1; i < len; i++) {
				if ((p[i] & 0xC0) != 0x80) {
					len = 0;
					break;
				}
			}
			/* reject overlongs, surrogates and code points above U+10FFFF */
			if (len == 3 && c == 0xE0 && p[1] < 0xA0) len = 0;
			if (len == 3 && c == 0xED && p[1] >= 0xA0) len = 0;
			if (len == 4 && c == 0xF0 && p[1] < 0x90) len = 0;
			if (len == 4 && c == 0xF4 && p[1] >= 0x90) len = 0;
			if (len) {
				fwrite(p, 1, (size_t)len, out);
				p += len;
			} else {
				fprintf(out, "\\u%04x", c);
				p++;
			}
		}
	}
	fputc('"', out);
}

/* One enum as [["NAME", value], ...] in header order. */
#define EMIT_ENUM_MEMBER(_m) \
	fputs(first ? "" : ",", out); \
	first = 0; \
	fputs("[", out); \
	json_str(#_m); \
	fprintf(out, ",%lld]", (long long)(_m));

static void emit_enums(void)
{
	int first;
	fputs("\"enums\":{\"GF_PropType\":[", out);
	first = 1;
	GPAC_INTROSPECT_PROP_TYPES(EMIT_ENUM_MEMBER)
	fputs("],\"GF_FSRegisterFlags\":[", out);
	first = 1;
	GPAC_INTROSPECT_REG_FLAGS(EMIT_ENUM_MEMBER)
	fputs("],\"GF_FSArgumentFlags\":[", out);
	first = 1;
	GPAC_INTROSPECT_ARG_FLAGS(EMIT_ENUM_MEMBER)
	fputs("]}", out);
}

/* The GF_PROP_FLAG_* bits are macros, not an enum member: printed when the header defines them. */
static void emit_prop_flags(void)
{
	int first = 1;
	fputs("\"propFlags\":{", out);
#ifdef GF_PROP_FLAG_PCK
	fprintf(out, "%s\"GF_PROP_FLAG_PCK\":%lld", first ? "" : ",", (long long)(GF_PROP_FLAG_PCK));
	first = 0;
#endif
#ifdef GF_PROP_FLAG_GSF_REM
	fprintf(out, "%s\"GF_PROP_FLAG_GSF_REM\":%lld", first ? "" : ",", (long long)(GF_PROP_FLAG_GSF_REM));
	first = 0;
#endif
	(void)first;
	fputs("}", out);
}

static void emit_arg(const GF_FilterArgs *a, int docs)
{
	fputs("{\"name\":", out);
	json_str(a->arg_name);
	fprintf(out, ",\"type\":%lld,\"typeName\":", (long long)a->arg_type);
	json_str(gf_props_get_type_name(a->arg_type));
	fputs(",\"default\":", out);
	json_str(a->arg_default_val);
	fputs(",\"minMaxEnum\":", out);
	json_str(a->min_max_enum);
	fprintf(out, ",\"flags\":%lld", (long long)a->flags);
#ifndef GPAC_DISABLE_DOC
	if (docs) {
		fputs(",\"description\":", out);
		json_str(a->arg_desc);
	}
#else
	(void)docs;
#endif
	fputs("}", out);
}

static int first_filter = 1;

static void emit_filter(const char *name, u32 flags, const char *description, const GF_FilterArgs *args, GF_Filter *inst, int docs)
{
	const GF_FilterArgs *a;
	int first_arg = 1;
	fputs(first_filter ? "" : ",", out);
	first_filter = 0;
	fputs("{\"name\":", out);
	json_str(name);
	fprintf(out, ",\"flags\":%lld", (long long)flags);
	if (inst) fputs(",\"script\":true", out);
#ifndef GPAC_DISABLE_DOC
	if (docs) {
		fputs(",\"description\":", out);
		json_str(description);
	}
#else
	(void)description;
#endif
	fputs(",\"args\":[", out);
	/* a script filter's options are the ones its script declared on the instance (the register only
	 * has jsf's own); an args array ends with an entry whose name is NULL */
	if (inst) args = gf_filter_get_args(inst);
	for (a = args; a && a->arg_name; a++) {
		fputs(first_arg ? "" : ",", out);
		first_arg = 0;
		emit_arg(a, docs);
	}
	fputs("]}", out);
}

static void emit_registers(GF_FilterSession *fs, int docs)
{
	u32 i, count = gf_fs_filters_registers_count(fs);
	for (i = 0; i < count; i++) {
		const GF_FilterRegister *reg = gf_fs_get_filter_register(fs, i);
		const char *description = NULL;
		if (!reg || !reg->name) continue;
#ifndef GPAC_DISABLE_DOC
		description = reg->description;
#endif
		emit_filter(reg->name, (u32)reg->flags, description, reg->args, NULL, docs);
	}
}

/* JavaScript filters shipped in <share>/scripts/jsf/ (NAME.js, or NAME/init.js): not registers, their
 * options exist once the script is loaded. Listed the way gpac -h filters does: load each one into the
 * (never run) session and read the instance's arguments. */
struct js_enum {
	GF_FilterSession *fs;
	int docs;
	const char *dir_name; /* set while enumerating NAME/ */
	/* scripts that did not load: path and error, reported so that a missing filter is never silent */
	char **failed_path;
	GF_Err *failed_err;
	u32 nb_failed;
};

static Bool is_register_name(GF_FilterSession *fs, const char *name)
{
	u32 i, count = gf_fs_filters_registers_count(fs);
	for (i = 0; i < count; i++) {
		const GF_FilterRegister *reg = gf_fs_get_filter_register(fs, i);
		if (reg && reg->name && !strcmp(reg->name, name)) return GF_TRUE;
	}
	return GF_FALSE;
}

static void note_failed(struct js_enum *je, const char *path, GF_Err e)
{
	char **paths = realloc(je->failed_path, sizeof(char *) * (je->nb_failed + 1));
	GF_Err *errs = paths ? realloc(je->failed_err, sizeof(GF_Err) * (je->nb_failed + 1)) : NULL;
	if (paths) je->failed_path = paths;
	if (errs) je->failed_err = errs;
	if (!paths || !errs) {
		fprintf(stderr, "gpac_introspect: out of memory\n");
		exit(2);
	}
	je->failed_path[je->nb_failed] = strdup(path);
	je->failed_err[je->nb_failed] = e;
	je->nb_failed++;
}

static Bool js_file(void *cbck, char *item_name, char *item_path, GF_FileEnumInfo *file_info)
{
	struct js_enum *je = (struct js_enum *)cbck;
	char name[GF_MAX_PATH];
	char *ext;
	GF_Filter *f;
	GF_Err e = GF_OK;
	const GF_FilterRegister *reg;
	(void)file_info;
	if (je->dir_name && strcmp(item_name, "init.js")) return GF_FALSE;
	/* snprintf: setup.h turns strcpy/strncpy into errors */
	snprintf(name, sizeof(name), "%s", je->dir_name ? je->dir_name : item_name);
	ext = strrchr(name, '.');
	if (!je->dir_name && ext) *ext = 0;
	/* a register of the same name is what loading that name gives */
	if (is_register_name(je->fs, name)) return GF_FALSE;
	f = gf_fs_load_filter(je->fs, item_path, &e);
	reg = f ? gf_filter_get_register(f) : NULL;
	if (!f || !reg) {
		note_failed(je, item_path, f ? GF_NOT_FOUND : e);
		return GF_FALSE;
	}
	emit_filter(name, (u32)reg->flags, gf_filter_get_description(f), NULL, f, je->docs);
	return GF_FALSE;
}

static Bool js_dir(void *cbck, char *item_name, char *item_path, GF_FileEnumInfo *file_info)
{
	struct js_enum *je = (struct js_enum *)cbck;
	char dir[GF_MAX_PATH];
	(void)file_info;
	snprintf(dir, sizeof(dir), "%s/", item_path);
	je->dir_name = item_name;
	gf_enum_directory(dir, GF_FALSE, js_file, je, ".js");
	je->dir_name = NULL;
	return GF_FALSE;
}

static void emit_filters(GF_FilterSession *fs, int docs)
{
	char path[GF_MAX_PATH];
	struct js_enum je;
	u32 i;
	int has_dir = gf_opts_default_shared_directory(path) ? 1 : 0;
	memset(&je, 0, sizeof(je));
	je.fs = fs;
	je.docs = docs;
	fputs("\"filters\":[", out);
	emit_registers(fs, docs);
	if (has_dir) {
		size_t l = strlen(path);
		snprintf(path + l, sizeof(path) - l, "/scripts/jsf/");
		gf_enum_directory(path, GF_FALSE, js_file, &je, ".js");
		gf_enum_directory(path, GF_TRUE, js_dir, &je, NULL);
	}
	fputs("],\"scriptsDir\":", out);
	json_str(has_dir ? path : NULL);
	fputs(",\"scriptsFailed\":[", out);
	for (i = 0; i < je.nb_failed; i++) {
		fputs(i ? ",[" : "[", out);
		json_str(je.failed_path[i]);
		fputs(",", out);
		json_str(gf_error_to_string(je.failed_err[i]));
		fputs("]", out);
		free(je.failed_path[i]);
	}
	free(je.failed_path);
	free(je.failed_err);
	fputs("]", out);
}

static void emit_properties(int docs)
{
	u32 i = 0;
	int first = 1;
	const GF_BuiltInProperty *p;
	fputs("\"properties\":[", out);
	/* the table ends when the getter returns NULL; entries without a name are placeholders (as gpac -h props skips them) */
	while ((p = gf_props_get_description(i)) != NULL) {
		i++;
		if (!p->name) continue;
		fputs(first ? "" : ",", out);
		first = 0;
		fprintf(out, "{\"code\":%lu,\"name\":", (unsigned long)p->type);
		json_str(p->name);
		fprintf(out, ",\"type\":%u,\"typeName\":", (unsigned)p->data_type);
		json_str(gf_props_get_type_name((GF_PropType)p->data_type));
		fprintf(out, ",\"flags\":%u", (unsigned)p->flags);
#ifndef GPAC_DISABLE_DOC
		if (docs) {
			fputs(",\"description\":", out);
			json_str(p->description);
		}
#else
		(void)docs;
#endif
		fputs("}", out);
	}
	fputs("]", out);
}

/* ---- value names ------------------------------------------------------------------------------
 * Each table is printed as [[value, "name", own, "description"?], ...]. A name is kept only when the
 * library's own parser maps it back to the value the library lists it for, so that every name the TS
 * side offers is one GPAC accepts for that value. own = 1 when it is the name the library gives the
 * value (gf_stream_type_name, gf_props_enum_name, the first codec file extension as libgpac.py shows
 * it); the others are aliases its parser also takes. */
struct name_table {
	char **names; /* names already printed (each name once per table) */
	u32 count;
	int first;
};

static void table_begin(struct name_table *t)
{
	memset(t, 0, sizeof(*t));
	t->first = 1;
	fputs("[", out);
}

static void table_end(struct name_table *t)
{
	u32 i;
	for (i = 0; i < t->count; i++) free(t->names[i]);
	free(t->names);
	fputs("]", out);
}

static void table_add(struct name_table *t, u32 value, const char *name, int own, const char *desc, int docs)
{
	u32 i;
	char **names;
	if (!name || !name[0]) return;
	for (i = 0; i < t->count; i++) {
		if (!strcmp(t->names[i], name)) return;
	}
	names = realloc(t->names, sizeof(char *) * (t->count + 1));
	if (!names || !(names[t->count] = strdup(name))) {
		fprintf(stderr, "gpac_introspect: out of memory\n");
		exit(2);
	}
	t->names = names;
	t->count++;
	fputs(t->first ? "[" : ",[", out);
	t->first = 0;
	fprintf(out, "%lu,", (unsigned long)value);
	json_str(name);
	fprintf(out, ",%d", own ? 1 : 0);
	if (docs && desc) {
		fputs(",", out);
		json_str(desc);
	}
	fputs("]", out);
}

static int same(const char *a, const char *b)
{
	return a && b && !strcmp(a, b);
}

#define STREAM_TYPE_CASE(_m) stream_type_names(&t, (u32)(_m));
static void stream_type_names(struct name_table *t, u32 st)
{
	const char *name = gf_stream_type_name(st);
	const char *sname = gf_stream_type_short_name(st);
	if (name && gf_stream_type_by_name(name) == st) table_add(t, st, name, 1, NULL, 0);
	if (sname && gf_stream_type_by_name(sname) == st) table_add(t, st, sname, same(sname, name), NULL, 0);
}

static void emit_stream_type_names(void)
{
	struct name_table t;
	table_begin(&t);
	GPAC_INTROSPECT_STREAM_TYPES(STREAM_TYPE_CASE)
	table_end(&t);
}

/* Codec IDs: every short name of the registry entry (gf_codecid_enum's "264|avc|h264"); the own one is the
 * first of gf_codecid_file_ext (what libgpac.py and GPAC's own NodeJS binding show). */
static void emit_codec_names(int docs)
{
	struct name_table t;
	u32 idx;
	const char *sname = NULL, *lname = NULL;
	GF_CodecID cid;
	table_begin(&t);
	for (idx = 0; (cid = gf_codecid_enum(idx, &sname, &lname)) != GF_CODECID_NONE; idx++) {
		char own[256], tok[256];
		const char *ext = gf_codecid_file_ext(cid), *p;
		size_t l = ext ? strcspn(ext, "|") : 0;
		if (l >= sizeof(own)) l = 0;
		memcpy(own, ext ? ext : "", l);
		own[l] = 0;
		/* own name first, then the other short names, all checked with the parser */
		if (own[0] && gf_codecid_parse(own) == cid) table_add(&t, (u32)cid, own, 1, lname, docs);
		for (p = sname; p && *p;) {
			size_t n = strcspn(p, "|");
			if (n < sizeof(tok)) {
				memcpy(tok, p, n);
				tok[n] = 0;
				if (gf_codecid_parse(tok) == cid) table_add(&t, (u32)cid, tok, same(tok, own), lname, docs);
			}
			p += n;
			if (*p == '|') p++;
		}
	}
	table_end(&t);
}

/* One GF_PROP_* enum type: the names of gf_props_enum_all_names kept when they are the value's own name
 * (the list does not say which value a name is for, so an alias cannot be checked); pixel and audio
 * formats add their short names, which gf_pixel_fmt_enum / gf_audio_fmt_enum list per value. */
static void emit_enum_type_names(u32 type, int docs)
{
	struct name_table t;
	const char *all = gf_props_enum_all_names(type);
	char *copy = all ? strdup(all) : NULL, *p;
	u32 idx;
	table_begin(&t);
	/* the per-value listings first, so that names carry their description */
	if (type == GF_PROP_PIXFMT) {
		const char *name, *ext, *desc;
		GF_PixelFormat pf;
		for (idx = 0; (pf = gf_pixel_fmt_enum(&idx, &name, &ext, &desc)) != 0;) {
			if (gf_props_parse_enum(type, name) == pf) table_add(&t, pf, name, same(gf_props_enum_name(type, pf), name), desc, docs);
			if (gf_props_parse_enum(type, ext) == pf) table_add(&t, pf, ext, same(gf_props_enum_name(type, pf), ext), desc, docs);
		}
	} else if (type == GF_PROP_PCMFMT) {
		const char *name, *ext, *desc;
		GF_AudioFormat af;
		for (idx = 0; (af = gf_audio_fmt_enum(&idx, &name, &ext, &desc)) != 0;) {
			if (gf_props_parse_enum(type, name) == af) table_add(&t, af, name, same(gf_props_enum_name(type, af), name), desc, docs);
			if (gf_props_parse_enum(type, ext) == af) table_add(&t, af, ext, same(gf_props_enum_name(type, af), ext), desc, docs);
		}
	}
	for (p = copy; p && *p;) {
		char *bar = strchr(p, '|');
		if (bar) *bar = 0;
		if (*p) {
			u32 v = gf_props_parse_enum(type, p);
			if (same(gf_props_enum_name(type, v), p)) table_add(&t, v, p, 1, NULL, 0);
		}
		p = bar ? bar + 1 : NULL;
	}
	free(copy);
	table_end(&t);
}

/* The GF_PropType members that are enum types, once per value (GF_PROP_FIRST_ENUM aliases the first). */
static u32 enum_types_done[64];
static u32 nb_enum_types_done;
static int first_enum_type;
static void enum_type_case(u32 type, int docs)
{
	u32 i;
	if (!gf_props_type_is_enum((GF_PropType)type)) return;
	for (i = 0; i < nb_enum_types_done; i++) {
		if (enum_types_done[i] == type) return;
	}
	if (nb_enum_types_done == sizeof(enum_types_done) / sizeof(enum_types_done[0])) {
		fprintf(stderr, "gpac_introspect: more than 64 enum property types\n");
		exit(2);
	}
	enum_types_done[nb_enum_types_done++] = type;
	fprintf(out, "%s{\"type\":%lu,\"names\":", first_enum_type ? "" : ",", (unsigned long)type);
	first_enum_type = 0;
	emit_enum_type_names(type, docs);
	fputs("}", out);
}
#define ENUM_TYPE_CASE(_m) enum_type_case((u32)(_m), docs);

static void emit_value_names(int docs)
{
	fputs("\"valueNames\":{\"StreamType\":", out);
	emit_stream_type_names();
	fputs(",\"CodecID\":", out);
	emit_codec_names(docs);
	fputs(",\"enumTypes\":[", out);
	first_enum_type = 1;
	GPAC_INTROSPECT_PROP_TYPES(ENUM_TYPE_CASE)
	fputs("]}", out);
}

int main(int argc, char **argv)
{
	GF_FilterSession *fs;
	GF_Err e;
	int docs = 0, i, out_fd;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--docs")) docs = 1;
		else {
			fprintf(stderr, "gpac_introspect: unknown argument %s (expected --docs)\n", argv[i]);
			return 1;
		}
	}
	/* Keep stdout for the JSON only: anything libgpac or its dependencies print goes to stderr. */
	out_fd = dup(1);
	if (out_fd < 0 || dup2(2, 1) < 0 || !(out = fdopen(out_fd, "w"))) {
		perror("gpac_introspect: stdout redirection");
		return 3;
	}

	/* profile "0": an in-memory default config, so neither the user's config (e.g. a filter blacklist)
	 * nor a first-run config file write changes what is listed */
	e = gf_sys_init(GF_MemTrackerNone, "0");
	if (e != GF_OK) {
		fprintf(stderr, "gpac_introspect: gf_sys_init failed: %s\n", gf_error_to_string(e));
		return 2;
	}
	/* what gpac -h sets: the shipped JavaScript filters then only declare themselves, without doing
	 * their real setup (e.g. avmix fails without a playlist otherwise) */
	gf_opts_set_key("temp", "gpac-help", "yes");
	/* GF_FS_FLAG_LOAD_META, as gpac -h does, so that meta filters (FFmpeg) register their options;
	 * no blacklist so that every register is listed */
	fs = gf_fs_new(0, GF_FS_SCHEDULER_LOCK_FREE, GF_FS_FLAG_LOAD_META, NULL);
	if (!fs) {
		fprintf(stderr, "gpac_introspect: gf_fs_new failed\n");
		gf_sys_close();
		return 2;
	}

	fputs("{\"version\":", out);
	json_str(gf_gpac_version());
	fprintf(out, ",\"abi\":{\"major\":%u,\"minor\":%u,\"micro\":%u}", gf_gpac_abi_major(), gf_gpac_abi_minor(), gf_gpac_abi_micro());
#ifndef GPAC_DISABLE_DOC
	fprintf(out, ",\"docs\":%s,", docs ? "true" : "false");
#else
	fputs(",\"docs\":false,", out);
#endif
	emit_enums();
	fputs(",", out);
	emit_prop_flags();
	fputs(",", out);
	emit_filters(fs, docs);
	fputs(",", out);
	emit_properties(docs);
	fputs(",", out);
	emit_value_names(docs);
	fputs("}\n", out);

	gf_fs_del(fs);
	gf_sys_close();
	if (fflush(out) != 0 || ferror(out)) {
		perror("gpac_introspect: writing stdout");
		return 3;
	}
	return 0;
}
