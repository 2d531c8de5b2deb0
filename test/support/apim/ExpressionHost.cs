// A long-lived host that evaluates compiled policy expressions for the emulator.
// One JSON command per stdin line, one JSON answer per stdout line:
//   {"op":"begin"}                                   a new request: forget every context variable
//   {"op":"eval","id":3,"state":{...},"assign":"x"}  run expression #3 against this context state
//                                                    (assign: store the result as context variable x)
//   {"op":"eval","id":4,"same":true}                 the same, against the state of the previous eval
//                                                    (most of a request's evals see one state: parsing it
//                                                    again was most of the host's time)
//   {"op":"texts","names":["x","y"]}                 the text of several context variables, in one answer
//   {"op":"first","ids":[5,6,7],"state":{...}}       a <choose>'s conditions in order, against one state (or
//                                                    "same":true), stopping at the first that is true, fails, is
//                                                    not a bool or consumes a body; answers that one's eval with
//                                                    "at" (its position) and the traces of all evaluated
//   {"op":"set","name":"x","value":{"kind":...}}     set a context variable (jwt, response, json, string, ...)
//   {"op":"get","name":"x"}                          read a context variable back
// Context variables live here, typed, because expressions cast them ((string)context.Variables["x"],
// GetValueOrDefault<Jwt>(...)); everything else is sent with each eval by the emulator, which owns it.
using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Apim.Model
{
    public static class ExpressionHost
    {
        static readonly Dictionary<int, Func<IContext, object>> Compiled = new Dictionary<int, Func<IContext, object>>();
        static VariableDictionary variables = new VariableDictionary();
        // Bodies are sent only when they change (a 256 KiB body would otherwise cross the pipe per expression).
        static string lastRequestBody;
        static string lastResponseBody;
        static JObject lastState;

        public static int Main(string[] args)
        {
            var stdin = new StreamReader(Console.OpenStandardInput(), new UTF8Encoding(false));
            var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { AutoFlush = true };
            stdout.WriteLine("{\"ready\":true}");
            string line;
            while ((line = stdin.ReadLine()) != null)
            {
                JObject answer;
                try { answer = Handle(ParseNoDates(line) as JObject); }
                catch (Exception e) { answer = new JObject { { "ok", false }, { "error", "host: " + e.Message } }; }
                stdout.WriteLine(answer.ToString(Formatting.None));
            }
            return 0;
        }

        static JToken ParseNoDates(string json)
        {
            var reader = new JsonTextReader(new StringReader(json)) { DateParseHandling = DateParseHandling.None };
            return JToken.Load(reader);
        }

        static JObject Handle(JObject cmd)
        {
            var op = (string)cmd["op"];
            switch (op)
            {
                case "begin":
                    variables = new VariableDictionary();
                    lastRequestBody = null;
                    lastResponseBody = null;
                    lastState = null;
                    return new JObject { { "ok", true } };
                case "set":
                    variables.Inner[(string)cmd["name"]] = FromWire(cmd["value"] as JObject);
                    return new JObject { { "ok", true } };
                case "get":
                    {
                        object v;
                        variables.Inner.TryGetValue((string)cmd["name"], out v);
                        var a = Describe(v);
                        a["ok"] = true;
                        return a;
                    }
                case "texts":
                    {
                        var texts = new JObject();
                        foreach (var name in cmd["names"])
                        {
                            object v;
                            variables.Inner.TryGetValue((string)name, out v);
                            texts[(string)name] = Describe(v)["text"];
                        }
                        return new JObject { { "ok", true }, { "texts", texts } };
                    }
                case "eval":
                    UseState(cmd);
                    return Eval((int)cmd["id"], lastState, (string)cmd["assign"]);
                case "first":
                    {
                        UseState(cmd);
                        var ids = (JArray)cmd["ids"];
                        var traces = new JArray();
                        JObject answer = null;
                        var at = 0;
                        for (; at < ids.Count; at++)
                        {
                            answer = Eval((int)ids[at], lastState, null);
                            foreach (var t in (JArray)answer["traces"]) traces.Add(t);
                            var holds = (bool)answer["ok"] && (string)answer["kind"] == "bool" && (bool)answer["value"];
                            if (holds || !(bool)answer["ok"] || (string)answer["kind"] != "bool" || (bool)answer["requestBodyConsumed"] || (bool)answer["responseBodyConsumed"]) break;
                        }
                        if (answer == null) throw new InvalidOperationException("first without ids");
                        answer["at"] = Math.Min(at, ids.Count - 1);
                        answer["traces"] = traces;
                        return answer;
                    }
                default:
                    throw new InvalidOperationException("unknown op " + op);
            }
        }

        /// <summary>The state an eval runs against: the command's, or with "same":true the previous one.</summary>
        static void UseState(JObject cmd)
        {
            var same = cmd["same"] != null && (bool)cmd["same"];
            if (same && lastState == null) throw new InvalidOperationException("same:true before any state");
            if (!same) lastState = cmd["state"] as JObject ?? new JObject();
        }

        static Func<IContext, object> Method(int id)
        {
            Func<IContext, object> f;
            if (Compiled.TryGetValue(id, out f)) return f;
            var m = typeof(PolicyExpressions).GetMethod("E" + id, BindingFlags.Public | BindingFlags.Static);
            if (m == null) throw new InvalidOperationException("no compiled expression #" + id);
            f = (Func<IContext, object>)Delegate.CreateDelegate(typeof(Func<IContext, object>), m);
            Compiled[id] = f;
            return f;
        }

        static JObject Eval(int id, JObject state, string assign)
        {
            var context = BuildContext(state);
            var requestBody = (MessageBody)context.Request.Body;
            var responseBody = context.Response == null ? null : (MessageBody)context.Response.Body;
            JObject answer;
            try
            {
                var value = Method(id)(context);
                if (assign != null) variables.Inner[assign] = value;
                answer = Describe(value);
                answer["ok"] = true;
            }
            catch (Exception e)
            {
                answer = new JObject { { "ok", false }, { "error", e.Message }, { "exceptionType", e.GetType().FullName } };
            }
            answer["requestBodyConsumed"] = requestBody.Consumed;
            answer["responseBodyConsumed"] = responseBody != null && responseBody.Consumed;
            answer["traces"] = new JArray(context.Traces.ToArray());
            return answer;
        }

        /// <summary>The value, its CLR type, and the text the gateway renders when a policy needs a string.</summary>
        static JObject Describe(object v)
        {
            var a = new JObject();
            a["type"] = v == null ? null : v.GetType().FullName;
            a["text"] = v == null ? null : (v is JToken ? ((JToken)v).ToString(Formatting.None) : Convert.ToString(v, CultureInfo.InvariantCulture));
            if (v == null) a["kind"] = "null";
            else if (v is string) { a["kind"] = "string"; a["value"] = (string)v; }
            else if (v is bool) { a["kind"] = "bool"; a["value"] = (bool)v; }
            else if (v is int) { a["kind"] = "int"; a["value"] = (int)v; }
            else if (v is long) { a["kind"] = "long"; a["value"] = (long)v; }
            else if (v is double) { a["kind"] = "double"; a["value"] = (double)v; }
            else if (v is JToken) { a["kind"] = "json"; a["value"] = ((JToken)v).DeepClone(); }
            else a["kind"] = "other";
            return a;
        }

        static object FromWire(JObject w)
        {
            var kind = (string)w["kind"];
            var value = w["value"];
            switch (kind)
            {
                case "null": return null;
                case "string": return (string)value;
                case "bool": return (bool)value;
                case "int": return (int)value;
                case "long": return (long)value;
                case "double": return (double)value;
                case "json": return value.DeepClone();
                case "jwt": return ((string)value).AsJwt();
                case "response": return BuildResponse(value as JObject);
                default: throw new InvalidOperationException("unknown variable kind " + kind);
            }
        }

        static Dictionary<string, string[]> MultiMap(JToken t)
        {
            var d = new Dictionary<string, string[]>();
            var o = t as JObject;
            if (o == null) return d;
            foreach (var p in o.Properties())
                d[p.Name] = p.Value.Type == JTokenType.Array ? p.Value.Select(x => (string)x).ToArray() : new[] { (string)p.Value };
            return d;
        }

        static Url BuildUrl(JObject u)
        {
            if (u == null) return null;
            return new Url
            {
                Scheme = (string)u["scheme"] ?? "https",
                Host = (string)u["host"] ?? "",
                Port = u["port"] != null ? (int)u["port"] : 443,
                Path = (string)u["path"] ?? "/",
                Query = new QueryDictionary(MultiMap(u["query"])),
            };
        }

        static Response BuildResponse(JObject r)
        {
            if (r == null) return null;
            return new Response
            {
                StatusCode = r["statusCode"] != null ? (int)r["statusCode"] : 200,
                StatusReason = (string)r["statusReason"] ?? "",
                Headers = new HeaderDictionary(MultiMap(r["headers"])),
                Body = new MessageBody((string)r["body"]),
            };
        }

        static Response BuildContextResponse(JObject r)
        {
            if (r == null) return null;
            if (r["body"] != null) lastResponseBody = (string)r["body"];
            var response = BuildResponse(r);
            response.Body = new MessageBody(lastResponseBody);
            return response;
        }

        static Context BuildContext(JObject s)
        {
            var r = s["request"] as JObject ?? new JObject();
            var url = BuildUrl(r["url"] as JObject) ?? BuildUrl(new JObject());
            var matched = new Dictionary<string, string>();
            var mp = r["matchedParameters"] as JObject;
            if (mp != null) foreach (var p in mp.Properties()) matched[p.Name] = (string)p.Value;
            var request = new Request
            {
                Method = (string)r["method"] ?? "GET",
                Url = url,
                OriginalUrl = BuildUrl(r["originalUrl"] as JObject) ?? url,
                Headers = new HeaderDictionary(MultiMap(r["headers"])),
                Body = new MessageBody(r["body"] != null ? (lastRequestBody = (string)r["body"]) : lastRequestBody),
                IpAddress = (string)r["ipAddress"] ?? "203.0.113.10",
                MatchedParameters = matched,
            };
            var e = s["lastError"] as JObject;
            var api = s["api"] as JObject ?? new JObject();
            var op = s["operation"] as JObject ?? new JObject();
            var dep = s["deployment"] as JObject ?? new JObject();
            return new Context
            {
                Request = request,
                Response = BuildContextResponse(s["response"] as JObject),
                Variables = variables,
                LastError = e == null ? null : new LastError
                {
                    Source = (string)e["source"], Reason = (string)e["reason"], Message = (string)e["message"],
                    Scope = (string)e["scope"], Section = (string)e["section"], Path = (string)e["path"], PolicyId = (string)e["policyId"],
                },
                Api = new Api
                {
                    Id = (string)api["id"], Name = (string)api["name"], Path = (string)api["path"],
                    Protocols = new[] { "https" }, ServiceUrl = BuildUrl(api["serviceUrl"] as JObject),
                    Version = (string)api["version"], Revision = (string)api["revision"] ?? "1", IsCurrentRevision = true,
                },
                Operation = new Operation { Id = (string)op["id"], Method = (string)op["method"], Name = (string)op["name"], UrlTemplate = (string)op["urlTemplate"] },
                Deployment = new Deployment
                {
                    GatewayId = (string)dep["gatewayId"] ?? "managed", Region = (string)dep["region"],
                    ServiceId = (string)dep["serviceId"], ServiceName = (string)dep["serviceName"],
                    Certificates = new Dictionary<string, System.Security.Cryptography.X509Certificates.X509Certificate2>(),
                },
                RequestId = s["requestId"] != null ? Guid.Parse((string)s["requestId"]) : Guid.Empty,
                Timestamp = s["timestamp"] != null
                    ? DateTime.Parse((string)s["timestamp"], CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal)
                    : DateTime.UtcNow,
                Elapsed = TimeSpan.FromMilliseconds(s["elapsedMs"] != null ? (double)s["elapsedMs"] : 0),
                Tracing = false,
            };
        }
    }
}
