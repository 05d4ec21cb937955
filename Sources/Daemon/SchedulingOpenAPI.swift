/// The OpenAPI 3 document of the scheduling API as `shots daemon` serves it (at `/v1/openapi.json`):
/// what clients may send and what they get, checked against the running server by schemathesis
/// in the tests.
public enum SchedulingOpenAPI {
    public static let path = "/v1/openapi.json"
    public static let document = #"""
{
 "components": {
  "responses": {
   "BadRequest": {
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    },
    "description": "A bad request: wrong types, negative heights, an end before the start, an unknown id, a duplicate, a body over 64 KiB; nothing changed."
   },
   "Forbidden": {
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    },
    "description": "Sent as a web page sends it (an Origin header, a Sec-Fetch-Site other than none, an Accept asking for a page or an image), or, without a token, to a Host that is not loopback; nothing changed."
   },
   "ServerError": {
    "content": {
     "application/json": {
      "schema": {
       "$ref": "#/components/schemas/Error"
      }
     }
    },
    "description": "The schedule's file could not be read or written; nothing changed."
   }
  },
  "schemas": {
   "Error": {
    "properties": {
     "code": {
      "type": "integer"
     },
     "error": {
      "properties": {
       "details": {
        "items": {
         "properties": {
          "message": {
           "type": "string"
          }
         },
         "type": "object"
        },
        "type": "array"
       },
       "name": {
        "type": "string"
       },
       "what": {
        "type": "string"
       }
      },
      "required": [
       "name",
       "what",
       "details"
      ],
      "type": "object"
     },
     "message": {
      "type": "string"
     }
    },
    "required": [
     "code",
     "message",
     "error"
    ],
    "type": "object"
   },
   "Request": {
    "properties": {
     "block_spacing": {
      "minimum": 0,
      "type": "integer"
     },
     "end_block_num": {
      "minimum": 0,
      "type": "integer"
     },
     "last_requested_block_num": {
      "minimum": 0,
      "type": "integer"
     },
     "snapshot_description": {
      "type": "string"
     },
     "snapshot_request_id": {
      "minimum": 0,
      "type": "integer"
     },
     "start_block_num": {
      "minimum": 0,
      "type": "integer"
     }
    },
    "required": [
     "snapshot_request_id",
     "block_spacing",
     "snapshot_description"
    ],
    "type": "object"
   },
   "Snapshot": {
    "properties": {
     "captured_block_num": {
      "type": "integer"
     },
     "error": {
      "type": "string"
     },
     "head_block_id": {
      "type": "string"
     },
     "head_block_num": {
      "type": "integer"
     },
     "head_block_time": {
      "type": "string"
     },
     "requested_block_num": {
      "type": "integer"
     },
     "skipped_block_nums": {
      "items": {
       "type": "integer"
      },
      "type": "array"
     },
     "snapshot_name": {
      "type": "string"
     },
     "snapshot_request_ids": {
      "items": {
       "type": "integer"
      },
      "type": "array"
     },
     "state": {
      "enum": [
       "pending",
       "done",
       "failed"
      ],
      "type": "string"
     }
    },
    "required": [
     "snapshot_request_ids",
     "requested_block_num",
     "head_block_id",
     "head_block_num",
     "head_block_time",
     "state"
    ],
    "type": "object"
   },
   "Status": {
    "properties": {
     "block_spacing": {
      "minimum": 0,
      "type": "integer"
     },
     "end_block_num": {
      "minimum": 0,
      "type": "integer"
     },
     "finished": {
      "type": "boolean"
     },
     "last_requested_block_num": {
      "minimum": 0,
      "type": "integer"
     },
     "pending_snapshots": {
      "items": {
       "$ref": "#/components/schemas/Snapshot"
      },
      "type": "array"
     },
     "snapshot_description": {
      "type": "string"
     },
     "snapshot_request_id": {
      "minimum": 0,
      "type": "integer"
     },
     "snapshots": {
      "items": {
       "$ref": "#/components/schemas/Snapshot"
      },
      "type": "array"
     },
     "start_block_num": {
      "minimum": 0,
      "type": "integer"
     }
    },
    "required": [
     "snapshot_request_id",
     "pending_snapshots"
    ],
    "type": "object"
   }
  }
 },
 "info": {
  "description": "The snapshot-scheduling API of the Antelope/Leap design, as `shots daemon` serves it. Heights may be JSON numbers or strings of digits; the start and end may be named *_num, *_number or bare; answers use the *_num names.",
  "title": "shots daemon: snapshot scheduling",
  "version": "1.0.0"
 },
 "openapi": "3.0.3",
 "paths": {
  "/v1/producer/get_snapshot_request_status": {
   "post": {
    "operationId": "getSnapshotRequestStatus",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "properties": {
         "snapshot_request_id": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 0,
            "type": "integer"
           },
           {
            "pattern": "^[0-9]{1,18}$",
            "type": "string"
           }
          ]
         }
        },
        "required": [
         "snapshot_request_id"
        ],
        "type": "object"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Status"
        }
       }
      },
      "description": "The request."
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "500": {
      "$ref": "#/components/responses/ServerError"
     }
    },
    "summary": "A request and its snapshots; a finished one-shot request answers with finished: true."
   }
  },
  "/v1/producer/get_snapshot_requests": {
   "post": {
    "operationId": "getSnapshotRequests",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "properties": {
         "limit": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 1,
            "type": "integer"
           },
           {
            "pattern": "^0*[1-9][0-9]{0,17}$",
            "type": "string"
           }
          ]
         },
         "start_snapshot_request_id": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 0,
            "type": "integer"
           },
           {
            "pattern": "^[0-9]{1,18}$",
            "type": "string"
           }
          ]
         }
        },
        "type": "object"
       }
      }
     },
     "required": false
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "properties": {
          "next_request_id": {
           "type": "integer"
          },
          "snapshot_requests": {
           "items": {
            "$ref": "#/components/schemas/Status"
           },
           "type": "array"
          }
         },
         "required": [
          "snapshot_requests"
         ],
         "type": "object"
        }
       }
      },
      "description": "A page of requests."
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "500": {
      "$ref": "#/components/responses/ServerError"
     }
    },
    "summary": "The scheduled requests from an id, at most limit."
   }
  },
  "/v1/producer/schedule_snapshot": {
   "get": {
    "operationId": "scheduleSnapshotNow",
    "responses": {
     "201": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Request"
        }
       }
      },
      "description": "Scheduled."
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "500": {
      "$ref": "#/components/responses/ServerError"
     }
    },
    "summary": "Schedule one snapshot, as soon as possible."
   },
   "post": {
    "operationId": "scheduleSnapshot",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "properties": {
         "block_spacing": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 0,
            "type": "integer"
           },
           {
            "pattern": "^[0-9]{1,18}$",
            "type": "string"
           }
          ]
         },
         "end_block": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 0,
            "type": "integer"
           },
           {
            "pattern": "^[0-9]{1,18}$",
            "type": "string"
           }
          ]
         },
         "end_block_num": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 0,
            "type": "integer"
           },
           {
            "pattern": "^[0-9]{1,18}$",
            "type": "string"
           }
          ]
         },
         "end_block_number": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 0,
            "type": "integer"
           },
           {
            "pattern": "^[0-9]{1,18}$",
            "type": "string"
           }
          ]
         },
         "snapshot_description": {
          "maxLength": 1000,
          "type": "string"
         },
         "start_block": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 0,
            "type": "integer"
           },
           {
            "pattern": "^[0-9]{1,18}$",
            "type": "string"
           }
          ]
         },
         "start_block_num": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 0,
            "type": "integer"
           },
           {
            "pattern": "^[0-9]{1,18}$",
            "type": "string"
           }
          ]
         },
         "start_block_number": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 0,
            "type": "integer"
           },
           {
            "pattern": "^[0-9]{1,18}$",
            "type": "string"
           }
          ]
         }
        },
        "type": "object"
       }
      }
     },
     "required": false
    },
    "responses": {
     "201": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Request"
        }
       }
      },
      "description": "Scheduled."
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "500": {
      "$ref": "#/components/responses/ServerError"
     }
    },
    "summary": "Schedule a snapshot: once (no block_spacing), or every block_spacing blocks from the start until the end. An empty body means once, as soon as possible."
   }
  },
  "/v1/producer/unschedule_snapshot": {
   "post": {
    "operationId": "unscheduleSnapshot",
    "requestBody": {
     "content": {
      "application/json": {
       "schema": {
        "properties": {
         "snapshot_request_id": {
          "oneOf": [
           {
            "maximum": 9223372036854775807,
            "minimum": 0,
            "type": "integer"
           },
           {
            "pattern": "^[0-9]{1,18}$",
            "type": "string"
           }
          ]
         }
        },
        "required": [
         "snapshot_request_id"
        ],
        "type": "object"
       }
      }
     },
     "required": true
    },
    "responses": {
     "200": {
      "content": {
       "application/json": {
        "schema": {
         "$ref": "#/components/schemas/Request"
        }
       }
      },
      "description": "The removed request."
     },
     "400": {
      "$ref": "#/components/responses/BadRequest"
     },
     "403": {
      "$ref": "#/components/responses/Forbidden"
     },
     "500": {
      "$ref": "#/components/responses/ServerError"
     }
    },
    "summary": "Remove a request; its snapshots stay listed."
   }
  }
 }
}
"""#
}
