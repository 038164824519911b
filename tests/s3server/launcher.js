#!/usr/bin/env node
/*
 * launcher.js: the S3 test server of the myship test suite.
 *
 * Starts @20minutes/s3rver 4.0.4 (it verifies SigV4 signatures) on
 * 127.0.0.1 with one bucket and one key pair, and patches what it gets wrong
 * that myship depends on, so that the tests see real S3 behaviour:
 *
 *   - AbortMultipartUpload (DELETE ?uploadId=) answers 204 and really drops
 *     the upload's parts; 404 NoSuchUpload for an unknown upload.
 *   - UploadPart: 400 InvalidArgument outside part numbers 1..10000,
 *     404 NoSuchUpload for an unknown upload id.
 *   - CompleteMultipartUpload: 404 NoSuchUpload, 400 InvalidPart (missing part
 *     or wrong ETag), InvalidPartOrder, EntityTooSmall (a non-last part under
 *     --min-part-size, 5 MiB like S3); the object's ETag is the S3 one:
 *     md5 of the concatenated binary part md5s, then "-N".
 *   - ListMultipartUploads (GET /bucket?uploads, honours prefix=) and
 *     ListParts (GET /bucket/key?uploadId=) are added (no pagination: every
 *     upload/part is returned in one page, IsTruncated false).
 *
 * Run it with `node --openssl-legacy-provider` (its ListObjectsV2
 * continuation tokens use single DES).  Usage:
 *
 *   S3_ACCESS_KEY=... S3_SECRET_KEY=... node --openssl-legacy-provider \
 *     launcher.js --port=N --directory=DIR --bucket=NAME [fault options]
 *
 * It prints "ready http://127.0.0.1:PORT" on stdout once it accepts requests.
 * The secret comes from the environment so that it is not in argv.
 *
 * Fault options (also settable as environment variables S3_FAULT_<NAME>,
 * e.g. S3_FAULT_FAIL_PART=3, or at run time through the control endpoint):
 *
 *   --fail-part=N       the Nth UploadPart request (counting from 1 since the
 *                       start or the last reset) gets 500 InternalError, once;
 *                       its body is read and discarded first
 *   --drop-part=N       the Nth UploadPart request: the connection is closed
 *                       after the first chunk of its body, no response, once
 *   --fail-complete=N   the Nth CompleteMultipartUpload gets 500, once
 *   --blank-complete-etag=N  the Nth CompleteMultipartUpload succeeds but
 *                       answers <ETag></ETag>, once (as Ceph radosgw 16)
 *   --wrong-complete-etag=N  the Nth CompleteMultipartUpload succeeds but
 *                       answers an ETag that is not the object's, once
 *   --fail-put=N        the Nth plain PutObject gets 500, once
 *   --fail-get=N        the Nth GetObject gets 500, once
 *   --drop-get=N        the Nth GetObject: the connection is closed after
 *                       the first MiB of the body, once (tests resumption)
 *   --drop-big-get=N    the same for the Nth GetObject whose body is over a
 *                       MiB: a client that sends its GETs in parallel sends
 *                       them in no fixed order, and a small one cut "after
 *                       a MiB" is not cut at all
 *   --hold-part=N       the Nth UploadPart request: its body is read, then no
 *                       answer until /__control/release or the client hangs
 *                       up (a part surely in flight, without timing races)
 *   --min-part-size=B   smallest non-last part Complete accepts (5242880)
 *   --delay-part=MS     every UploadPart waits MS milliseconds before its
 *                       body is read (a long upload on a small archive)
 *
 * Control endpoint (not signed, only for the tests; plain GET):
 *
 *   /__control/set?fail-part=N&drop-part=N...   set faults (counters reset)
 *   /__control/reset                            clear faults and counters
 *   /__control/release                          answer a held part (500)
 *   /__control/stats                            JSON: request counters,
 *                                               faults fired, uploads in
 *                                               progress
 *   /__control/key?id=&secret=&token=&expires=  a temporary key pair, as
 *                                               STS gives: accepted only with
 *                                               that x-amz-security-token
 *                                               (else 403 InvalidToken) and
 *                                               until expires (Unix seconds;
 *                                               after it 400 ExpiredToken)
 */
'use strict';

const path = require('path');
const fsp = require('fs').promises;
const crypto = require('crypto');

// Found beside this file, or through NODE_PATH when tests/lib.sh installed
// the packages into the build tree (a read-only source tree).
const base = path.join(path.dirname(
	require.resolve('@20minutes/s3rver/package.json')), 'lib');
const bucketCtrl = require(path.join(base, 'controllers', 'bucket.js'));
const objectCtrl = require(path.join(base, 'controllers', 'object.js'));
const FilesystemStore = require(path.join(base, 'stores', 'filesystem.js'));
const S3Error = require(path.join(base, 'models', 'error.js'));
const AWSAccount = require(path.join(base, 'models', 'account.js'));

const FAULTS = ['fail-part', 'drop-part', 'hold-part', 'fail-complete',
    'blank-complete-etag', 'wrong-complete-etag', 'fail-put', 'fail-get',
    'drop-get', 'drop-big-get', 'delay-part'];
const DROP_GET_AFTER = 1024 * 1024;

function parseArgs(argv) {
	const opt = { 'min-part-size': 5 * 1024 * 1024 };
	for (const f of FAULTS) {
		const v = process.env['S3_FAULT_' +
		    f.toUpperCase().replace(/-/g, '_')];
		if (v)
			opt[f] = Number(v);
	}
	for (const a of argv) {
		const m = /^--([a-z-]+)=(.*)$/.exec(a);
		if (!m)
			throw new Error(`bad argument ${a}`);
		opt[m[1]] = /^[0-9]+$/.test(m[2]) ? Number(m[2]) : m[2];
	}
	for (const k of ['port', 'directory', 'bucket'])
		if (opt[k] === undefined)
			throw new Error(`--${k} is required`);
	return opt;
}

const opt = parseArgs(process.argv.slice(2));
const state = { faults: {}, counts: {}, fired: [], held: [], temp: {} };

/* Lets every held part go on (answered with 500). */
function releaseHeld() {
	for (const r of state.held.splice(0))
		r();
}

function resetFaults(faults) {
	state.faults = {};
	state.counts = {};
	for (const f of FAULTS)
		if (faults[f])
			state.faults[f] = Number(faults[f]);
}
resetFaults(opt);

/* Counts one request of kind op. */
function count(op) {
	state.counts[op] = (state.counts[op] || 0) + 1;
}

/* Says whether fault fires for the current request of kind op (once). */
function fires(op, fault) {
	if (state.faults[fault] && state.faults[fault] === state.counts[op]) {
		delete state.faults[fault];
		state.fired.push(`${fault}=${state.counts[op]}`);
		console.log(`fault ${fault} fired at ${op} #${state.counts[op]}`);
		return true;
	}
	return false;
}

function drain(req) {
	return new Promise((resolve) => {
		req.on('data', () => {});
		req.on('end', resolve);
		req.on('error', resolve);
		req.on('close', resolve);
	});
}

function uploadsDir(store, bucket) {
	return store.getResourcePath(bucket, undefined, 'uploads');
}

function validUploadId(id) {
	return typeof id === 'string' && /^[0-9a-f]{32}$/.test(id);
}

async function uploadExists(store, bucket, id) {
	if (!validUploadId(id))
		return false;
	try {
		await fsp.access(path.join(uploadsDir(store, bucket), id, 'key'));
		return true;
	} catch (e) {
		return false;
	}
}

function noSuchUpload(id) {
	return new S3Error('NoSuchUpload', 'The specified upload does not ' +
	    'exist. The upload ID may be invalid, or the upload may have been ' +
	    'aborted or completed.', { UploadId: String(id) });
}

async function listUploads(store, bucket, prefix) {
	const dir = uploadsDir(store, bucket);
	let ids = [];
	try {
		ids = await fsp.readdir(dir);
	} catch (e) {
		if (e.code !== 'ENOENT')
			throw e;
	}
	const out = [];
	for (const id of ids) {
		let key, st;
		try {
			key = (await fsp.readFile(path.join(dir, id, 'key'))).toString();
			st = await fsp.stat(path.join(dir, id));
		} catch (e) {
			continue;
		}
		if (prefix && !key.startsWith(prefix))
			continue;
		out.push({ Key: key, UploadId: id,
		    Initiated: st.birthtime.getTime() ? st.birthtime.toISOString() :
		    st.mtime.toISOString(), StorageClass: 'STANDARD' });
	}
	out.sort((a, b) => a.Key < b.Key ? -1 : a.Key > b.Key ? 1 :
	    a.UploadId < b.UploadId ? -1 : 1);
	return out;
}

async function listParts(store, bucket, id) {
	const dir = path.join(uploadsDir(store, bucket), id);
	const parts = [];
	for (const f of await fsp.readdir(dir)) {
		if (!/^[0-9]+$/.test(f))
			continue;
		const st = await fsp.stat(path.join(dir, f));
		let md5;
		try {
			md5 = (await fsp.readFile(path.join(dir, f + '.md5'))).toString();
		} catch (e) {
			continue;	/* part still being written */
		}
		parts.push({ PartNumber: Number(f),
		    LastModified: st.mtime.toISOString(),
		    ETag: JSON.stringify(md5), Size: st.size });
	}
	parts.sort((a, b) => a.PartNumber - b.PartNumber);
	return parts;
}

/*
 * Runs after authentication and before the routes' own handlers: the routes
 * call bucketExists first, for buckets and objects alike, and capture it
 * when routes.js is loaded, so it is patched before s3rver is required.
 */
const origBucketExists = bucketCtrl.bucketExists;
bucketCtrl.bucketExists = async function patchedBucketExists(ctx, next) {
	const store = ctx.app.store;
	const q = ctx.query;
	const isObject = ctx.params.key !== undefined && ctx.params.key !== '';
	const hasUpload = Object.prototype.hasOwnProperty.call(q, 'uploadId');

	await origBucketExists(ctx);
	if (isObject && ctx.method === 'DELETE' && hasUpload) {
		if (!(await uploadExists(store, ctx.params.bucket, q.uploadId)))
			throw noSuchUpload(q.uploadId);
		await fsp.rm(path.join(uploadsDir(store, ctx.params.bucket),
		    q.uploadId), { recursive: true, force: true });
		state.counts.abort = (state.counts.abort || 0) + 1;
		console.log(`aborted upload ${q.uploadId}`);
		ctx.status = 204;
		return;
	}
	if (isObject && ctx.method === 'GET' && hasUpload) {
		if (!(await uploadExists(store, ctx.params.bucket, q.uploadId)))
			throw noSuchUpload(q.uploadId);
		const parts = await listParts(store, ctx.params.bucket,
		    q.uploadId);
		ctx.body = { ListPartsResult: {
		    Bucket: ctx.params.bucket, Key: ctx.params.key,
		    UploadId: q.uploadId, PartNumberMarker: 0,
		    NextPartNumberMarker: parts.length ?
		    parts[parts.length - 1].PartNumber : 0,
		    MaxParts: 10000, IsTruncated: false,
		    StorageClass: 'STANDARD', Part: parts } };
		return;
	}
	if (isObject && ctx.method === 'PUT' && hasUpload &&
	    !('x-amz-copy-source' in ctx.headers)) {
		const n = Number(q.partNumber);
		if (!/^[0-9]+$/.test(q.partNumber || '') || n < 1 || n > 10000) {
			await drain(ctx.req);
			throw new S3Error('InvalidArgument', 'Part number must be ' +
			    'an integer between 1 and 10000, inclusive',
			    { ArgumentName: 'partNumber',
			    ArgumentValue: String(q.partNumber) });
		}
		if (!(await uploadExists(store, ctx.params.bucket, q.uploadId))) {
			await drain(ctx.req);
			throw noSuchUpload(q.uploadId);
		}
		count('part');
		if (state.faults['delay-part'])
			await new Promise((resolve) => setTimeout(resolve,
			    state.faults['delay-part']));
		if (fires('part', 'drop-part')) {
			await new Promise((resolve) => {
				ctx.req.once('data', resolve);
				ctx.req.once('end', resolve);
			});
			ctx.req.socket.destroy();
			ctx.respond = false;
			return;
		}
		if (fires('part', 'hold-part')) {
			await drain(ctx.req);
			await new Promise((resolve) => {
				state.held.push(resolve);
				ctx.req.socket.once('close', resolve);
			});
			throw new S3Error('InternalError', 'injected fault: ' +
			    'UploadPart held, then released');
		}
		if (fires('part', 'fail-part')) {
			await drain(ctx.req);
			throw new S3Error('InternalError', 'injected fault: ' +
			    'UploadPart failed');
		}
	}
	if (isObject && ctx.method === 'POST' && hasUpload) {
		if (!(await uploadExists(store, ctx.params.bucket, q.uploadId))) {
			await drain(ctx.req);
			throw noSuchUpload(q.uploadId);
		}
		count('complete');
		if (fires('complete', 'fail-complete')) {
			await drain(ctx.req);
			throw new S3Error('InternalError', 'injected fault: ' +
			    'CompleteMultipartUpload failed');
		}
		const blank = fires('complete', 'blank-complete-etag');
		const wrong = fires('complete', 'wrong-complete-etag');
		if (blank || wrong) {
			await next();
			const r = ctx.body && ctx.body.CompleteMultipartUploadResult;
			if (r)
				r.ETag = blank ? '' :
				    '"0123456789abcdef0123456789abcdef-1"';
			return;
		}
	}
	if (isObject && ctx.method === 'PUT' && !hasUpload &&
	    Object.keys(q).length === 0) {
		count('put');
		if (fires('put', 'fail-put')) {
			await drain(ctx.req);
			throw new S3Error('InternalError',
			    'injected fault: PutObject failed');
		}
	}
	if (isObject && ctx.method === 'GET' && Object.keys(q).length === 0) {
		count('get');
		if (fires('get', 'fail-get'))
			throw new S3Error('InternalError',
			    'injected fault: GetObject failed');
		if (fires('get', 'drop-get')) {
			await next();
			dropAfter(ctx, DROP_GET_AFTER);
			return;
		}
		if (state.faults['drop-big-get']) {
			await next();
			if (ctx.length > DROP_GET_AFTER) {
				count('big-get');
				if (fires('big-get', 'drop-big-get'))
					dropAfter(ctx, DROP_GET_AFTER);
			}
			return;
		}
	}
	if (!isObject && ctx.method === 'GET' &&
	    Object.prototype.hasOwnProperty.call(q, 'uploads')) {
		const ups = await listUploads(store, ctx.params.bucket, q.prefix);
		ctx.body = { ListMultipartUploadsResult: {
		    '@': { xmlns: 'http://s3.amazonaws.com/doc/2006-03-01/' },
		    Bucket: ctx.params.bucket, KeyMarker: '', UploadIdMarker: '',
		    NextKeyMarker: '', NextUploadIdMarker: '',
		    Prefix: q.prefix || '', MaxUploads: 1000,
		    IsTruncated: false, Upload: ups } };
		return;
	}
	if (next)
		await next();
};

/* Sends the first n bytes of a streamed body, then cuts the connection. */
function dropAfter(ctx, n) {
	const src = ctx.body;
	if (!src || typeof src.pipe !== 'function')
		return;
	const out = new (require('stream').PassThrough)();
	let sent = 0;
	src.on('data', (chunk) => {
		if (sent + chunk.length < n) {
			sent += chunk.length;
			out.write(chunk);
			return;
		}
		out.write(chunk.subarray(0, n - sent));
		sent = n;
		src.destroy();
		cutWhenSent(ctx, out);
	});
	src.on('end', () => out.end());
	ctx.body = out;
}

/*
 * Cuts the connection once the n bytes have left for the kernel: a fixed
 * delay was not enough on a loaded machine, and the client then resumed
 * from an earlier byte than the one the tests expect.  A client that
 * stops reading still gets its connection cut after 30 s.
 */
function cutWhenSent(ctx, out) {
	const sock = ctx.req.socket;
	const started = Date.now();
	const t = setInterval(() => {
		const flushed = out.readableLength === 0 &&
		    out.writableLength === 0 && ctx.res.writableLength === 0 &&
		    sock.writableLength === 0;
		if (flushed || Date.now() - started > 30000) {
			clearInterval(t);
			sock.destroy();
		}
	}, 10);
}

/* Checks the part list like S3 and gives the object the S3 multipart ETag. */
const origPutObjectMultipart = FilesystemStore.prototype.putObjectMultipart;
FilesystemStore.prototype.putObjectMultipart =
    async function patchedPutObjectMultipart(bucket, uploadId, parts) {
	if (!(await uploadExists(this, bucket, uploadId)))
		throw noSuchUpload(uploadId);
	const dir = path.join(uploadsDir(this, bucket), uploadId);
	const md5s = [];
	let prev = 0;
	for (let i = 0; i < parts.length; i++) {
		const p = parts[i];
		if (!(p.number > prev))
			throw new S3Error('InvalidPartOrder', 'The list of parts ' +
			    'was not in ascending order. Parts must be ordered by ' +
			    'part number.', { UploadId: uploadId });
		prev = p.number;
		let md5, st;
		try {
			md5 = (await fsp.readFile(path.join(dir,
			    p.number + '.md5'))).toString();
			st = await fsp.stat(path.join(dir, String(p.number)));
		} catch (e) {
			md5 = undefined;
		}
		if (md5 === undefined || md5 !== p.etag)
			throw new S3Error('InvalidPart', 'One or more of the ' +
			    'specified parts could not be found.  The part may not ' +
			    'have been uploaded, or the specified entity tag may ' +
			    'not match the part\'s entity tag.',
			    { UploadId: uploadId, PartNumber: String(p.number),
			    ETag: String(p.etag) });
		if (i < parts.length - 1 && st.size < opt['min-part-size'])
			throw new S3Error('EntityTooSmall', 'Your proposed upload ' +
			    'is smaller than the minimum allowed object size.',
			    { ProposedSize: String(st.size),
			    MinSizeAllowed: String(opt['min-part-size']),
			    PartNumber: String(p.number) });
		md5s.push(Buffer.from(md5, 'hex'));
	}
	const etag = crypto.createHash('md5').update(Buffer.concat(md5s))
	    .digest('hex') + '-' + parts.length;
	const key = (await fsp.readFile(path.join(dir, 'key'))).toString();
	const result = await origPutObjectMultipart.call(this, bucket, uploadId,
	    parts);
	await fsp.writeFile(this.getResourcePath(bucket, key, 'object.md5'),
	    etag);
	return { ...result, md5: etag };
};

function xmlError(ctx, status, code, message) {
	ctx.status = status;
	ctx.type = 'application/xml';
	ctx.body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>' +
	    code + '</Code><Message>' + message + '</Message></Error>';
}

/* Temporary keys: their token and expiry checked as S3 does (STS). */
function tempKeyMiddleware() {
	return async (ctx, next) => {
		const m = /Credential=([^/]+)\//.exec(ctx.headers.authorization ||
		    '');
		const t = m && state.temp[m[1]];
		if (!t)
			return next();
		if (ctx.headers['x-amz-security-token'] !== t.token) {
			count('bad-token');
			return xmlError(ctx, 403, 'InvalidToken', 'The provided ' +
			    'token is malformed or otherwise invalid.');
		}
		if (Date.now() / 1000 >= t.expires) {
			count('expired');
			return xmlError(ctx, 400, 'ExpiredToken', 'The provided ' +
			    'token has expired.');
		}
		count('temp-key');
		return next();
	};
}

/* Faults and statistics for the tests, before authentication. */
function controlMiddleware(app) {
	return async (ctx, next) => {
		if (!ctx.path.startsWith('/__control/'))
			return next();
		const what = ctx.path.slice('/__control/'.length);
		if (what === 'release') {
			releaseHeld();
		} else if (what === 'reset') {
			releaseHeld();
			resetFaults({});
			state.fired = [];
		} else if (what === 'set') {
			resetFaults(ctx.query);
		} else if (what === 'key') {
			const q = ctx.query;
			AWSAccount.DUMMY_ACCOUNT.createKeyPair(q.id, q.secret);
			state.temp[q.id] = { token: q.token,
			    expires: Number(q.expires) };
		} else if (what !== 'stats') {
			ctx.status = 404;
			ctx.body = 'unknown control\n';
			return;
		}
		ctx.type = 'application/json';
		ctx.body = JSON.stringify({ faults: state.faults,
		    counts: state.counts, fired: state.fired,
		    uploads: await listUploads(app.store, opt.bucket) }) + '\n';
	};
}

async function main() {
	const S3rver = require(path.join(base, 's3rver.js'));
	const access = process.env.S3_ACCESS_KEY;
	const secret = process.env.S3_SECRET_KEY;
	if (!access || !secret)
		throw new Error('S3_ACCESS_KEY and S3_SECRET_KEY must be set');
	/* Only our key pair: the built-in S3RVER/S3RVER one is revoked. */
	AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
	AWSAccount.DUMMY_ACCOUNT.createKeyPair(access, secret);
	const app = new S3rver({
		address: '127.0.0.1',
		port: opt.port,
		directory: opt.directory,
		silent: !opt.verbose,
		vhostBuckets: false,
		configureBuckets: [{ name: opt.bucket }],
	});
	app.middleware.unshift(controlMiddleware(app), tempKeyMiddleware());
	const addr = await app.run();
	console.log(`ready http://${addr.address}:${addr.port}`);
	const stop = () => app.close().finally(() => process.exit(0));
	process.on('SIGTERM', stop);
	process.on('SIGINT', stop);
}

main().catch((e) => {
	console.error(`launcher: ${e.code || ''} ${e.message}`);
	process.exit(1);
});
