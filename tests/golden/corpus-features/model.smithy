$version: "2"

namespace golden.corpus

/// What the AWS restJson1 corpus uses: ECMA-262 patterns with look-around, host prefixes with host labels, anonymous and unsigned-payload operations, query-compatible error codes, endpoint traits and member names that clash with generated methods.
@aws.api#service(sdkId: "Golden Corpus Features")
@aws.auth#sigv4(name: "corpusfeatures")
@aws.endpoints#dualStackOnlyEndpoints
@aws.endpoints#standardRegionalEndpoints
@aws.protocols#awsQueryCompatible
@aws.protocols#restJson1
@auth(["aws.auth#sigv4"])
@title("Golden Corpus Features")
@smithy.rules#endpointRuleSet(
    version: "1.0"
    parameters: {
        "Region": {
            "builtIn": "AWS::Region",
            "required": false,
            "type": "String"
        },
        "UseFIPS": {
            "builtIn": "AWS::UseFIPS",
            "required": true,
            "default": false,
            "type": "Boolean"
        },
        "UseDualStack": {
            "builtIn": "AWS::UseDualStack",
            "required": true,
            "default": false,
            "type": "Boolean"
        },
        "Endpoint": {
            "builtIn": "SDK::Endpoint",
            "required": false,
            "type": "String"
        }
    }
    rules: [
        {
            "conditions": [
                {
                    "fn": "isSet",
                    "argv": [
                        {
                            "ref": "Endpoint"
                        }
                    ]
                }
            ],
            "endpoint": {
                "url": {
                    "ref": "Endpoint"
                },
                "properties": {},
                "headers": {}
            },
            "type": "endpoint"
        },
        {
            "conditions": [
                {
                    "fn": "isSet",
                    "argv": [
                        {
                            "ref": "Region"
                        }
                    ]
                }
            ],
            "endpoint": {
                "url": "https://corpus.{Region}.api.aws",
                "properties": {},
                "headers": {}
            },
            "type": "endpoint"
        },
        {
            "conditions": [],
            "error": "Invalid Configuration: Missing Region",
            "type": "error"
        }
    ]
)
service CorpusFeatures {
    version: "2025-04-01"
    operations: [PutTag, GetToken, UploadBlob, ListThings]
}

/// Sent without a signature.
@auth([])
@http(method: "POST", uri: "/token")
@optionalAuth
operation GetToken {
    input: GetTokenRequest
    output: GetTokenResponse
}

@input
structure GetTokenRequest {
    @required
    ClientId: String
}

@output
structure GetTokenResponse {
    Token: String
}

@pattern("^(?!^.*--)(?!^[0-9]+$)(?!^-)(?!.*-$)^[A-Za-z0-9-]+$")
string LedgerName

@endpoint(hostPrefix: "api.")
@http(method: "GET", uri: "/things")
@readonly
operation ListThings {
    input: ListThingsRequest
    output: ListThingsResponse
}

@input
structure ListThingsRequest {
}

@output
structure ListThingsResponse {
    Things: Things
    Ratio: Float

    /// `@httpQuery` means nothing in a response: read from the body, as botocore reads it (API Gateway's models have such members).
    @httpQuery("position")
    position: String
}

/// Sent to <code>{ResourceId}.data.</code> in front of the endpoint's host.
@endpoint(hostPrefix: "{ResourceId}.data.")
@http(method: "POST", uri: "/tags")
operation PutTag {
    input: PutTagRequest
    errors: [TagProblem]
}

@input
structure PutTagRequest {
    @hostLabel
    @required
    ResourceId: String

    @required
    Key: TagKey

    /// Becomes <code>default_value</code>.
    Default: String

    Build: Integer
    Ledger: LedgerName
}

@length(min: 1, max: 128)
@pattern("^(?!aws:)[a-zA-Z+-=._:/]+$")
string TagKey

@aws.protocols#awsQueryError(code: "Tag.Problem", httpResponseCode: 400)
@error("client")
@httpError(400)
structure TagProblem {
    message: String
}

list Things {
    member: String
}

/// Signed with <code>UNSIGNED-PAYLOAD</code> in place of the payload hash.
@aws.auth#unsignedPayload
@http(method: "PUT", uri: "/blobs/{Name}")
operation UploadBlob {
    input: UploadBlobRequest
}

@input
structure UploadBlobRequest {
    @httpLabel
    @required
    Name: String

    @httpPayload
    Body: Blob
}
