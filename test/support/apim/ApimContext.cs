// A model of the API Management policy-expression context, as documented in
// "API Management policy expressions" (learn.microsoft.com/azure/api-management/api-management-policy-expressions),
// section "Context variable". Policy expressions of the kit's documents compile against THESE types, so a
// misspelt member, a wrong argument type or a missing cast fails here as it would fail on the gateway.
// Only documented members are modelled: an undocumented member that happens to work on the gateway is
// still a defect in a document (it may stop working), so it must not compile here.
//
// Test support only; nothing here ships in the library.
using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Xml.Linq;
using Newtonsoft.Json;
using Newtonsoft.Json.Linq;

namespace Apim.Model
{
    public interface IContext
    {
        IApi Api { get; }
        IDeployment Deployment { get; }
        TimeSpan Elapsed { get; }
        ILastError LastError { get; }
        IOperation Operation { get; }
        IProduct Product { get; }
        IRequest Request { get; }
        Guid RequestId { get; }
        IResponse Response { get; }
        ISubscription Subscription { get; }
        DateTime Timestamp { get; }
        bool Tracing { get; }
        IUser User { get; }
        IVariables Variables { get; }
        void Trace(string message);
    }

    public interface IApi
    {
        string Id { get; }
        string Name { get; }
        string Path { get; }
        IEnumerable<string> Protocols { get; }
        IUrl ServiceUrl { get; }
        ISubscriptionKeyParameterNames SubscriptionKeyParameterNames { get; }
        string Version { get; }
        string Revision { get; }
        bool IsCurrentRevision { get; }
    }

    public interface ISubscriptionKeyParameterNames
    {
        string Header { get; }
        string Query { get; }
    }

    public interface IDeployment
    {
        string GatewayId { get; }
        string Region { get; }
        string ServiceId { get; }
        string ServiceName { get; }
        IReadOnlyDictionary<string, X509Certificate2> Certificates { get; }
    }

    public interface ILastError
    {
        string Source { get; }
        string Reason { get; }
        string Message { get; }
        string Scope { get; }
        string Section { get; }
        string Path { get; }
        string PolicyId { get; }
    }

    public interface IOperation
    {
        string Id { get; }
        string Method { get; }
        string Name { get; }
        string UrlTemplate { get; }
    }

    public interface IProduct
    {
        IEnumerable<IApi> Apis { get; }
        bool ApprovalRequired { get; }
        IEnumerable<IGroup> Groups { get; }
        string Id { get; }
        string Name { get; }
        ProductState State { get; }
        int? SubscriptionLimit { get; }
        bool SubscriptionRequired { get; }
    }

    public enum ProductState { NotPublished, Published }

    public interface IGroup
    {
        string Id { get; }
        string Name { get; }
    }

    public interface IRequest
    {
        IMessageBody Body { get; }
        X509Certificate2 Certificate { get; }
        IHeaders Headers { get; }
        string IpAddress { get; }
        IReadOnlyDictionary<string, string> MatchedParameters { get; }
        string Method { get; }
        IUrl OriginalUrl { get; }
        IUrl Url { get; }
        IPrivateEndpointConnection PrivateEndpointConnection { get; }
    }

    public interface IPrivateEndpointConnection
    {
        string Name { get; }
        string GroupId { get; }
        string MemberName { get; }
    }

    public interface IResponse
    {
        IMessageBody Body { get; }
        IHeaders Headers { get; }
        int StatusCode { get; }
        string StatusReason { get; }
    }

    public interface ISubscription
    {
        DateTime CreatedDate { get; }
        DateTime? EndDate { get; }
        string Id { get; }
        string Key { get; }
        string Name { get; }
        string PrimaryKey { get; }
        string SecondaryKey { get; }
        DateTime? StartDate { get; }
    }

    public interface IUser
    {
        string Email { get; }
        string FirstName { get; }
        IEnumerable<IGroup> Groups { get; }
        string Id { get; }
        IEnumerable<IUserIdentity> Identities { get; }
        string LastName { get; }
        string Note { get; }
        DateTime RegistrationDate { get; }
    }

    public interface IUserIdentity
    {
        string Id { get; }
        string Provider { get; }
    }

    public interface IUrl
    {
        string Host { get; }
        string Path { get; }
        int Port { get; }
        IQuery Query { get; }
        string QueryString { get; }
        string Scheme { get; }
    }

    /// <summary>Documented: <c>string GetValueOrDefault(headerName, defaultValue)</c> returns the comma-separated values.</summary>
    public interface IHeaders : IReadOnlyDictionary<string, string[]>
    {
        string GetValueOrDefault(string headerName, string defaultValue = null);
    }

    public interface IQuery : IReadOnlyDictionary<string, string[]>
    {
        string GetValueOrDefault(string queryParameterName, string defaultValue = null);
    }

    public interface IClaims : IReadOnlyDictionary<string, string[]>
    {
        string GetValueOrDefault(string claimName, string defaultValue = null);
    }

    /// <summary>Documented: <c>T context.Variables.GetValueOrDefault&lt;T&gt;(variableName, defaultValue)</c>.</summary>
    public interface IVariables : IReadOnlyDictionary<string, object>
    {
        T GetValueOrDefault<T>(string variableName, T defaultValue = default(T));
    }

    /// <summary>Documented: <c>As&lt;T&gt;(preserveContent: bool = false)</c> for string, byte[], JObject, JToken, JArray, XNode, XElement, XDocument.</summary>
    public interface IMessageBody
    {
        T As<T>(bool preserveContent = false);
    }

    public class Jwt
    {
        public string Algorithm { get; internal set; }
        public IEnumerable<string> Audiences { get; internal set; }
        public IClaims Claims { get; internal set; }
        public DateTime? ExpirationTime { get; internal set; }
        public string Id { get; internal set; }
        public string Issuer { get; internal set; }
        public DateTime? IssuedAt { get; internal set; }
        public DateTime? NotBefore { get; internal set; }
        public string Subject { get; internal set; }
        public string Type { get; internal set; }
    }

    public class BasicAuthCredentials
    {
        public string Password { get; internal set; }
        public string UserId { get; internal set; }
    }

    /// <summary>Documented string extensions: AsJwt, TryParseJwt, AsBasic, TryParseBasic.</summary>
    public static class PolicyStringExtensions
    {
        public static Jwt AsJwt(this string input)
        {
            Jwt jwt;
            return TryParseJwt(input, out jwt) ? jwt : null;
        }

        public static bool TryParseJwt(this string input, out Jwt result)
        {
            result = null;
            if (string.IsNullOrEmpty(input)) return false;
            var token = input.Trim();
            if (token.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) token = token.Substring(7).Trim();
            var parts = token.Split('.');
            if (parts.Length != 3) return false;
            try
            {
                var header = ParseJsonObject(Base64UrlDecode(parts[0]));
                var payload = ParseJsonObject(Base64UrlDecode(parts[1]));
                var claims = new Dictionary<string, string[]>(StringComparer.Ordinal);
                foreach (var p in payload.Properties())
                {
                    claims[p.Name] = p.Value.Type == JTokenType.Array
                        ? p.Value.Children().Select(ClaimString).ToArray()
                        : new[] { ClaimString(p.Value) };
                }
                string[] aud;
                result = new Jwt
                {
                    Algorithm = (string)header["alg"],
                    Type = (string)header["typ"],
                    Claims = new ClaimsDictionary(claims),
                    Audiences = claims.TryGetValue("aud", out aud) ? aud : new string[0],
                    Id = (string)payload["jti"],
                    Issuer = (string)payload["iss"],
                    Subject = (string)payload["sub"],
                    ExpirationTime = EpochClaim(payload, "exp"),
                    NotBefore = EpochClaim(payload, "nbf"),
                    IssuedAt = EpochClaim(payload, "iat"),
                };
                return true;
            }
            catch (Exception)
            {
                result = null;
                return false;
            }
        }

        public static BasicAuthCredentials AsBasic(this string input)
        {
            BasicAuthCredentials c;
            return TryParseBasic(input, out c) ? c : null;
        }

        public static bool TryParseBasic(this string input, out BasicAuthCredentials result)
        {
            result = null;
            if (string.IsNullOrEmpty(input)) return false;
            var value = input.Trim();
            if (value.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase)) value = value.Substring(6).Trim();
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(value));
                var colon = decoded.IndexOf(':');
                if (colon < 0) return false;
                result = new BasicAuthCredentials { UserId = decoded.Substring(0, colon), Password = decoded.Substring(colon + 1) };
                return true;
            }
            catch (FormatException)
            {
                return false;
            }
        }

        static string ClaimString(JToken t)
        {
            return t.Type == JTokenType.String ? (string)t : t.ToString(Formatting.None);
        }

        static DateTime? EpochClaim(JObject payload, string name)
        {
            var t = payload[name];
            if (t == null || (t.Type != JTokenType.Integer && t.Type != JTokenType.Float)) return null;
            return new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc).AddSeconds((double)t);
        }

        static JObject ParseJsonObject(string json)
        {
            var reader = new JsonTextReader(new System.IO.StringReader(json)) { DateParseHandling = DateParseHandling.None };
            return JObject.Load(reader);
        }

        static string Base64UrlDecode(string s)
        {
            var b = s.Replace('-', '+').Replace('_', '/');
            switch (b.Length % 4) { case 2: b += "=="; break; case 3: b += "="; break; }
            return Encoding.UTF8.GetString(Convert.FromBase64String(b));
        }
    }

    // ---- Implementations the emulator fills from the scripted request. ----

    public class MultiValueDictionary : IReadOnlyDictionary<string, string[]>
    {
        readonly Dictionary<string, string[]> inner;
        public MultiValueDictionary(IDictionary<string, string[]> values, StringComparer comparer)
        {
            inner = new Dictionary<string, string[]>(values ?? new Dictionary<string, string[]>(), comparer);
        }
        public string[] this[string key] { get { return inner[key]; } }
        public int Count { get { return inner.Count; } }
        public IEnumerable<string> Keys { get { return inner.Keys; } }
        public IEnumerable<string[]> Values { get { return inner.Values; } }
        public bool ContainsKey(string key) { return inner.ContainsKey(key); }
        public bool TryGetValue(string key, out string[] value) { return inner.TryGetValue(key, out value); }
        public IEnumerator<KeyValuePair<string, string[]>> GetEnumerator() { return inner.GetEnumerator(); }
        IEnumerator IEnumerable.GetEnumerator() { return inner.GetEnumerator(); }
        public string GetValueOrDefault(string name, string defaultValue = null)
        {
            string[] v;
            return inner.TryGetValue(name, out v) && v != null ? string.Join(",", v) : defaultValue;
        }
    }

    public class HeaderDictionary : MultiValueDictionary, IHeaders
    {
        public HeaderDictionary(IDictionary<string, string[]> values) : base(values, StringComparer.OrdinalIgnoreCase) { }
    }

    public class QueryDictionary : MultiValueDictionary, IQuery
    {
        public QueryDictionary(IDictionary<string, string[]> values) : base(values, StringComparer.Ordinal) { }
    }

    public class ClaimsDictionary : MultiValueDictionary, IClaims
    {
        public ClaimsDictionary(IDictionary<string, string[]> values) : base(values, StringComparer.Ordinal) { }
    }

    public class VariableDictionary : IVariables
    {
        public readonly Dictionary<string, object> Inner = new Dictionary<string, object>(StringComparer.Ordinal);
        public object this[string key] { get { return Inner[key]; } }
        public int Count { get { return Inner.Count; } }
        public IEnumerable<string> Keys { get { return Inner.Keys; } }
        public IEnumerable<object> Values { get { return Inner.Values; } }
        public bool ContainsKey(string key) { return Inner.ContainsKey(key); }
        public bool TryGetValue(string key, out object value) { return Inner.TryGetValue(key, out value); }
        public IEnumerator<KeyValuePair<string, object>> GetEnumerator() { return Inner.GetEnumerator(); }
        IEnumerator IEnumerable.GetEnumerator() { return Inner.GetEnumerator(); }
        public T GetValueOrDefault<T>(string variableName, T defaultValue = default(T))
        {
            object v;
            if (!Inner.TryGetValue(variableName, out v) || v == null) return defaultValue;
            // The gateway casts: a variable of another type is a runtime error, not a silent default.
            return (T)v;
        }
    }

    /// <summary>A body that, like the gateway's, is consumed by a read unless preserveContent is true.</summary>
    public class MessageBody : IMessageBody
    {
        string content;
        public bool Consumed { get; private set; }
        public MessageBody(string content) { this.content = content; }
        public string Peek() { return content; }
        public T As<T>(bool preserveContent = false)
        {
            var text = content ?? "";
            if (!preserveContent) { Consumed = true; content = ""; }
            object result;
            var t = typeof(T);
            if (t == typeof(string)) result = text;
            else if (t == typeof(byte[])) result = Encoding.UTF8.GetBytes(text);
            else if (t == typeof(JObject)) result = JObject.Parse(text);
            else if (t == typeof(JArray)) result = JArray.Parse(text);
            else if (t == typeof(JToken)) result = JToken.Parse(text);
            else if (t == typeof(XDocument)) result = XDocument.Parse(text);
            else if (t == typeof(XElement) || t == typeof(XNode)) result = XElement.Parse(text);
            else throw new InvalidOperationException("Body.As<" + t.FullName + "> is not a documented conversion");
            return (T)result;
        }
    }

    public class Url : IUrl
    {
        public string Host { get; set; }
        public string Path { get; set; }
        public int Port { get; set; }
        public IQuery Query { get; set; }
        public string Scheme { get; set; }
        public string QueryString
        {
            get
            {
                if (Query == null || Query.Count == 0) return "";
                return "?" + string.Join("&", Query.SelectMany(kv => kv.Value.Select(v => Uri.EscapeDataString(kv.Key) + "=" + Uri.EscapeDataString(v))));
            }
        }
        public override string ToString()
        {
            var defaultPort = (Scheme == "https" && Port == 443) || (Scheme == "http" && Port == 80);
            return Scheme + "://" + Host + (defaultPort ? "" : ":" + Port) + Path + QueryString;
        }
    }

    public class Request : IRequest
    {
        public IMessageBody Body { get; set; }
        public X509Certificate2 Certificate { get; set; }
        public IHeaders Headers { get; set; }
        public string IpAddress { get; set; }
        public IReadOnlyDictionary<string, string> MatchedParameters { get; set; }
        public string Method { get; set; }
        public IUrl OriginalUrl { get; set; }
        public IUrl Url { get; set; }
        public IPrivateEndpointConnection PrivateEndpointConnection { get; set; }
    }

    public class Response : IResponse
    {
        public IMessageBody Body { get; set; }
        public IHeaders Headers { get; set; }
        public int StatusCode { get; set; }
        public string StatusReason { get; set; }
    }

    public class LastError : ILastError
    {
        public string Source { get; set; }
        public string Reason { get; set; }
        public string Message { get; set; }
        public string Scope { get; set; }
        public string Section { get; set; }
        public string Path { get; set; }
        public string PolicyId { get; set; }
    }

    public class Api : IApi
    {
        public string Id { get; set; }
        public string Name { get; set; }
        public string Path { get; set; }
        public IEnumerable<string> Protocols { get; set; }
        public IUrl ServiceUrl { get; set; }
        public ISubscriptionKeyParameterNames SubscriptionKeyParameterNames { get; set; }
        public string Version { get; set; }
        public string Revision { get; set; }
        public bool IsCurrentRevision { get; set; }
    }

    public class Operation : IOperation
    {
        public string Id { get; set; }
        public string Method { get; set; }
        public string Name { get; set; }
        public string UrlTemplate { get; set; }
    }

    public class Deployment : IDeployment
    {
        public string GatewayId { get; set; }
        public string Region { get; set; }
        public string ServiceId { get; set; }
        public string ServiceName { get; set; }
        public IReadOnlyDictionary<string, X509Certificate2> Certificates { get; set; }
    }

    public class Context : IContext
    {
        public IApi Api { get; set; }
        public IDeployment Deployment { get; set; }
        public TimeSpan Elapsed { get; set; }
        public ILastError LastError { get; set; }
        public IOperation Operation { get; set; }
        public IProduct Product { get; set; }
        public IRequest Request { get; set; }
        public Guid RequestId { get; set; }
        public IResponse Response { get; set; }
        public ISubscription Subscription { get; set; }
        public DateTime Timestamp { get; set; }
        public bool Tracing { get; set; }
        public IUser User { get; set; }
        public IVariables Variables { get; set; }
        public readonly List<string> Traces = new List<string>();
        public void Trace(string message) { Traces.Add(message); }
    }
}
